import { expect, Page, TestInfo } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { ChildProcess, spawn } from "node:child_process";

/** True in the project that runs with JavaScript switched off. */
export function jsOff(testInfo: TestInfo): boolean {
  return testInfo.project.use.javaScriptEnabled === false;
}

/** With JavaScript on, wait until the WebAssembly app has taken over the page. */
export async function waitForHydration(page: Page, testInfo: TestInfo) {
  if (jsOff(testInfo)) return;
  await page.waitForFunction(() => (window as any).__portalHydrated === true, undefined, {
    timeout: 15_000,
  });
}

/**
 * axe-core with the WCAG 2.x A/AA rules must find nothing. axe runs as a script, so for the
 * JavaScript-off project the same URL is audited in a context where scripts may run but the
 * app's own bundle is blocked: the page is exactly the server-rendered HTML a no-JS user gets.
 */
export async function expectNoAxeViolations(page: Page, testInfo?: TestInfo) {
  if (testInfo && jsOff(testInfo)) {
    const browser = page.context().browser()!;
    // The very HTML this no-JS page shows (which may depend on its session or on a form it
    // just posted), served again to a page that may run axe but not the app.
    const html = await page.content();
    const url = page.url().split("#")[0];
    const context = await browser.newContext({ ...testInfo.project.use, javaScriptEnabled: true });
    await context.route(/\/pkg\/.*\.(js|wasm)$/, (route) => route.abort());
    await context.route(url, (route) => route.fulfill({ body: html, contentType: "text/html; charset=utf-8" }));
    const ssrPage = await context.newPage();
    await ssrPage.goto(url);
    try {
      await expectNoAxeViolations(ssrPage);
    } finally {
      await context.close();
    }
    return;
  }
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
  );
  expect(summary, "axe-core violations").toEqual([]);
}

/** Signs a demo staff account in (password demo1234) and lands on the staff page. */
export async function signIn(page: Page, username: string) {
  await page.goto("/staff/login");
  // by id: the same in both languages
  await page.locator("#f-username").fill(username);
  await page.locator("#f-password").fill("demo1234");
  await page.locator("form button[type=submit]").click();
  await expect(page).toHaveURL(/\/staff$/);
}

/** Books today's first free consultation at a place through the public API. */
export async function bookToday(request: any, place: number): Promise<string> {
  const slots: { start: string; remaining: number }[] = await (
    await request.get(`/api/v1/locations/${place}/slots?service=legal_consultation`)
  ).json();
  const slot = slots.find((s) => s.remaining > 0 && s.start.startsWith("2026-12-07"))!;
  expect(slot, "a free slot today").toBeTruthy();
  const r = await request.post("/api/v1/bookings", {
    data: {
      location_id: place, service: "legal_consultation", start: slot.start, name: "赵敏",
      phone: "138" + String(Math.floor(Math.random() * 1e8)).padStart(8, "0"), topic: "housing", consent: true,
    },
  });
  expect(r.status()).toBe(201);
  return (await r.json()).code;
}

const serverBin = process.env.PORTAL_E2E_SERVER_BIN ?? "../target/release/server";
const siteRoot = process.env.PORTAL_E2E_SITE_ROOT ?? "../target/site";
export const dbRoot = process.env.PORTAL_E2E_DB_DIR ?? "../target/e2e";

/**
 * A portal of a spec's own on `port` and the SQLite database in directory `db`, with its
 * clock starting at `now`; `env` adds to (or overrides) its settings. Phone verification is
 * off unless `env` turns it on, as on the shared portal of playwright.config.ts.
 */
export async function startPortal(
  port: number,
  db: string,
  now: string,
  env: Record<string, string> = {},
): Promise<ChildProcess> {
  const child = spawn(serverBin, [], {
    env: {
      ...process.env,
      DATABASE_URL: `sqlite://${db}/portal.db`,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: siteRoot,
      PORTAL_DEMO: "1",
      PORTAL_FAKE_NOW: now,
      PORTAL_RATE_LIMIT: "off",
      RUST_LOG: "warn",
      PORTAL_PHONE_VERIFY: "off",
      ...env,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) return child;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`the portal exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error("the portal did not start");
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function stopPortal(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}


/** A tap on a link the page does not show, to `href`: a navigation by the app's router, not a page load. */
export async function followInApp(page: Page, href: string) {
  await page.evaluate((href) => {
    const a = document.createElement("a");
    a.href = href;
    a.textContent = href;
    document.querySelector("main")!.append(a);
    a.click();
  }, href);
}
