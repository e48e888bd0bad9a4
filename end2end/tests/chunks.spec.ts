import { expect, test } from "@playwright/test";
import { followInApp, jsOff } from "./helpers";

// The release build splits the WebAssembly: the core, the resident pages' chunk and the staff
// pages' chunk (`app/src/lib.rs`, `routes`). The router fetches a page's chunk while the core
// is already hydrating; these tests hold the chunk back to look at the page in that window.

test.beforeEach(({}, testInfo) => {
  test.skip(jsOff(testInfo), "the chunks are the JavaScript-on app");
});

test("a page stays whole, title included, while its chunk loads, then takes over", async ({ page }) => {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let asked!: () => void;
  const chunkAsked = new Promise<void>((r) => (asked = r));
  await page.route(/\/pkg\/split_resident_pages_[^/]*\.wasm$/, async (route) => {
    asked();
    await held;
    await route.continue();
  });

  await page.goto("/offices");
  const title = await page.title();
  expect(title).toContain("服务网点");
  await chunkAsked;
  // the core has hydrated up to the router, which is waiting for the page's chunk
  await page.waitForTimeout(300);
  expect(await page.title()).toBe(title);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(await page.evaluate(() => (window as any).__portalHydrated)).toBeUndefined();

  release();
  await page.waitForFunction(() => (window as any).__portalHydrated === true);
  expect(await page.title()).toBe(title);
});

test("moving from a resident page to a staff page loads the staff chunk and renders it", async ({ page }) => {
  const chunks: string[] = [];
  page.on("request", (r) => {
    const m = r.url().match(/\/pkg\/split_(\w+?)_pages/);
    if (m) chunks.push(m[1]);
  });
  await page.goto("/");
  await page.waitForFunction(() => (window as any).__portalHydrated === true);
  expect(chunks).toEqual(["resident"]);

  // a client-side navigation (the router, not a page load) to the staff sign-in
  await followInApp(page, "/staff/login");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("工作人员登录");
  await expect(page.locator("#f-username")).toBeVisible();
  expect(chunks).toEqual(["resident", "staff"]);
  expect(await page.title()).toContain("工作人员登录");
});
