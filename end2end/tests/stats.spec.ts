import { expect, test } from "@playwright/test";
import { readFileSync } from "fs";
import { bookToday, expectNoAxeViolations, jsOff, signIn, waitForHydration } from "./helpers";

// The server's clock starts at Monday 2026-12-07 08:30 (playwright.config.ts). Other specs
// add bookings and cases as they run, so this one checks what must hold whatever they did:
// the page agrees with the API and with itself, drill-down, errors, exports, access.

test("an office head reads the month's statistics, drills down to a workroom and exports the ledgers", async ({ page, request }, testInfo) => {
  await bookToday(request, 1);
  await signIn(page, "o1-head");
  await page.getByRole("link", { name: "服务统计" }).click();
  await expect(page).toHaveURL(/\/staff\/stats\?scope=1$/);
  await waitForHydration(page, testInfo);
  // the default period: this year so far
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("服务统计 · 彭浦新村街道司法所");
  await expect(page.getByLabel("开始日期")).toHaveValue("2026-01-01");
  await expect(page.getByLabel("结束日期")).toHaveValue("2026-12-07");

  // choose December; the page shows what the API says just before and just after it
  // (the other project books at this office too, so the count may grow in between)
  const december = "/api/v1/stats?scope=1&from=2026-12-01&to=2026-12-31";
  const before = await (await page.request.get(december)).json();
  await page.getByLabel("开始日期").fill("2026-12-01");
  await page.getByLabel("结束日期").fill("2026-12-31");
  await page.getByRole("button", { name: "查看" }).click();
  await expect(page).toHaveURL(/scope=1&from=2026-12-01&to=2026-12-31/);
  await expect(page.getByText("统计期间：2026年12月 · 上期：2026年11月")).toBeVisible();
  const after = await (await page.request.get(december)).json();
  const bookings = Number(await page.locator(".figure", { hasText: "预约" }).first().locator("strong").textContent());
  expect(before.figures.bookings_total).toBeGreaterThanOrEqual(1);
  expect(bookings).toBeGreaterThanOrEqual(before.figures.bookings_total);
  expect(bookings).toBeLessThanOrEqual(after.figures.bookings_total);
  // the report paragraph's numbers are the page's own
  const report = page.locator(".report-text").first();
  await expect(report).toContainText("2026年12月，彭浦新村街道司法所及所辖居村人民调解委员会共受理纠纷");
  const accepted = await page.locator(".figure", { hasText: "受理纠纷" }).locator("strong").textContent();
  await expect(report).toContainText(`共受理纠纷${accepted}件`);

  // charts are images with a title, and their numbers are in a table
  const chart = page.getByRole("img", { name: "每月接待人次" });
  await expect(chart).toBeVisible();
  await page.locator("#chart-monthly summary").click();
  await expect(page.locator("#chart-monthly table")).toContainText("12月");
  await expectNoAxeViolations(page, testInfo);

  // drill down to a workroom and back up
  await page.getByRole("link", { name: "岭南居民区法律服务工作室" }).click();
  await expect(page).toHaveURL(/scope=101&from=2026-12-01&to=2026-12-31/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("服务统计 · 岭南居民区法律服务工作室");
  await page.getByRole("link", { name: "彭浦新村街道司法所" }).click();
  await expect(page).toHaveURL(/scope=1&/);

  // the mediation ledger downloads as CSV
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "人民调解台账（CSV）" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("stats-1-2026-12-01-2026-12-31-mediation.csv");
  const text = readFileSync(await file.path(), "utf8");
  expect(text.replace(/^\uFEFF/, "").split(/\r?\n/)[0]).toBe("人民调解工作统计台账（彭浦新村街道司法所，2026年12月）");
});

test("a wrong date is named, and a clerk may not see statistics", async ({ page }, testInfo) => {
  await signIn(page, "o1-head");
  await page.goto("/staff/stats?scope=1&from=2026-13-01&to=2026-12-31");
  await expect(page.getByRole("alert")).toContainText("开始日期：请填写日期");
  // the form keeps what was typed
  await expect(page.getByLabel("结束日期")).toHaveValue("2026-12-31");
  await page.goto("/staff/stats?scope=district&from=2026-12-01&to=2026-12-31");
  await expect(page.getByRole("alert")).toContainText("没有权限查看这个范围的统计");
  await expectNoAxeViolations(page, testInfo);

  const clerk = await page.context().browser()!.newContext({ ...testInfo.project.use });
  const p = await clerk.newPage();
  await signIn(p, "o1-clerk");
  await expect(p.getByRole("link", { name: "服务统计" })).toHaveCount(0);
  await p.goto("/staff/stats?scope=1&from=2026-12-01&to=2026-12-31");
  await expect(p.getByRole("alert")).toContainText("没有权限查看这个范围的统计");
  await clerk.close();
});

test("the district sees every office", async ({ page }, testInfo) => {
  await signIn(page, "district");
  await page.getByRole("link", { name: "服务统计" }).click();
  await expect(page).toHaveURL(/scope=district$/);
  await waitForHydration(page, testInfo);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("服务统计 · 全区");
  const rows = page.locator("table.drill tbody tr");
  await expect(rows).toHaveCount(14);
  await expect(page.locator(".report-text").first()).toContainText("2026年1月1日至12月7日，各级人民调解委员会共受理纠纷");
  await expectNoAxeViolations(page, testInfo);
});
