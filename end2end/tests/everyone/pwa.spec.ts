import { expect, test } from "@playwright/test";
import { waitForHydration } from "../helpers";
import { fillBookingForm, jsOff, textsFor } from "./prefs";

// The other suites block service workers (so each test sees the network); this one needs it.
test.use({ serviceWorkers: "allow" });

test("installable, and offline it shows saved bookings but never a stale list of free times", async ({ page, context }, testInfo) => {
  test.skip(jsOff(testInfo), "a service worker needs JavaScript");
  const L = textsFor(testInfo);

  // the manifest and its icons
  await page.goto("/");
  const href = await page.locator('link[rel="manifest"]').getAttribute("href");
  const manifest = await (await page.request.get(href!)).json();
  expect(manifest.name).toBe("示范区公共法律服务");
  expect(manifest.display).toBe("standalone");
  expect(manifest.start_url).toMatch(/^\//);
  const sizes = manifest.icons.map((i: any) => `${i.sizes} ${i.purpose ?? "any"}`);
  expect(sizes).toEqual(expect.arrayContaining(["192x192 any", "512x512 any", "512x512 maskable"]));
  for (const icon of manifest.icons) {
    const r = await page.request.get(icon.src);
    expect(r.status(), icon.src).toBe(200);
  }
  // the service worker takes control of the page
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 10_000 });

  // a booking made on this phone; its page is saved as it is shown
  await page.goto("/places/3/book/legal_consultation");
  await waitForHydration(page, testInfo);
  await page.locator(".day-grid a.day:not(.full)").first().click();
  await page.locator(".slot-grid a.slot:not(.full)").first().click();
  await expect(page).toHaveURL(/time=/);
  const code = await fillBookingForm(page, testInfo);
  // the page as a navigation (the service worker saves navigations only)
  await page.goto(`/bookings/${code}`);
  await expect(page.locator(".offline-note")).toHaveCount(0);
  const shown = `${code.slice(0, 5)}-${code.slice(5)}`;
  await expect(page.locator(".code")).toHaveText(shown);

  await context.setOffline(true);
  try {
    // the saved booking, marked as a saved copy
    await page.goto(`/bookings/${code}`);
    await expect(page.locator(".code")).toHaveText(shown);
    await expect(page.locator(".offline-note")).toContainText(L("没有联网", "offline"));
    // free times are never shown from a cache: the offline page says why instead
    await page.goto("/places/3/book/legal_consultation");
    await expect(page.getByRole("heading", { level: 1 }).first()).toHaveText("现在没有联网");
    await expect(page.locator(".slot-grid, .day-grid")).toHaveCount(0);
    // and lists the saved booking
    await expect(page.getByRole("link", { name: L(`预约 ${code}`, `Booking ${code}`) })).toBeVisible();
  } finally {
    await context.setOffline(false);
  }
  await page.goto("/places/3/book/legal_consultation");
  await expect(page.locator(".day-grid a.day").first()).toBeVisible();
});

test("a new build's file replaces the old one of the same name in the app's cache", async ({ page }, testInfo) => {
  test.skip(jsOff(testInfo), "a service worker needs JavaScript");
  await page.goto("/");
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 10_000 });
  await waitForHydration(page, testInfo);
  const result = await page.evaluate(async () => {
    const loaded = [...performance.getEntriesByType("resource")].map((e) => new URL(e.name).pathname);
    // the glue, the resident pages' chunk (whose name also carries a number) and a shared chunk
    const current = [
      loaded.find((p) => /^\/pkg\/portal\.[A-Za-z0-9_-]{22}\.js$/.test(p))!,
      loaded.find((p) => /^\/pkg\/split_resident_pages_\d+\.[A-Za-z0-9_-]{22}\.wasm$/.test(p))!,
      loaded.find((p) => /^\/pkg\/chunk_\d+\.[A-Za-z0-9_-]{22}\.wasm$/.test(p))!,
    ];
    // what the previous build left: the same files under other hashes
    const old = ["/pkg/portal.AAAAAAAAAAAAAAAAAAAAAA.js", "/pkg/split_resident_pages_1.AAAAAAAAAAAAAAAAAAAAAA.wasm"];
    // another shared chunk is another file, not an old copy of this one
    const other = "/pkg/chunk_999999.AAAAAAAAAAAAAAAAAAAAAA.wasm";
    const shellName = (await caches.keys()).find((k) => k.endsWith("-shell"))!;
    const shell = await caches.open(shellName);
    for (const o of [...old, other]) await shell.put(o, new Response("old build"));
    for (const c of current) {
      await shell.delete(c);
      await fetch(c); // through the service worker: a miss, fetched and stored
    }
    const kept = (await shell.keys()).map((r) => new URL(r.url).pathname);
    return { current, kept, old, other };
  });
  expect(result.current.every(Boolean), "the three files were loaded").toBe(true);
  for (const c of result.current) expect(result.kept).toContain(c);
  for (const o of result.old) expect(result.kept).not.toContain(o);
  expect(result.kept).toContain(result.other);
});
