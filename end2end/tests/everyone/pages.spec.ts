import { expect, Page, test, TestInfo } from "@playwright/test";
import { expectNoAxeViolations, signIn, waitForHydration } from "../helpers";
import { expectEveryoneCanUse, fillBookingForm, freshPhone, prefsOf, textsFor } from "./prefs";

// Every page of the portal, in this project's language and mode, checked by axe-core and for
// the elderly-mode sizes. Content comes from real use: a booking and a mediation request are
// made through the forms, so their pages are the ones residents and staff see.

async function visit(page: Page, testInfo: TestInfo, path: string, heading: string | RegExp) {
  await page.goto(path);
  await waitForHydration(page, testInfo);
  await expect(page.getByRole("heading", { level: 1 }).first()).toHaveText(heading);
  await expectEveryoneCanUse(page, testInfo);
}

test("every resident page is usable in this language and mode", async ({ page }, testInfo) => {
  // a tour of about twenty pages, each audited (twice as long without JavaScript)
  test.setTimeout(120_000);
  const L = textsFor(testInfo);
  const { elder } = prefsOf(testInfo);
  await visit(page, testInfo, "/", L("示范区公共法律服务", "District Public Legal Services"));
  // elderly mode shows the three tasks instead of the grid of fourteen offices
  await expect(page.locator(".office-grid a")).toHaveCount(elder ? 0 : 14);
  await expect(page.locator(".tasks a")).toHaveCount(elder ? 3 : 0);
  await visit(page, testInfo, "/?q=%E5%B2%AD%E5%8D%97", L("示范区公共法律服务", "District Public Legal Services"));
  await visit(page, testInfo, "/offices", L("各街镇司法所", "Judicial offices"));
  await expect(page.locator("details")).toHaveCount(elder ? 0 : 14);
  await visit(page, testInfo, "/places/3", /.+/);
  await expect(page.getByRole("heading", { level: 2, name: L("服务项目和开放时间", "Services and opening hours") })).toBeVisible();

  // booking: day, time, form (filled directly: the keyboard test types it)
  await visit(page, testInfo, "/places/3/book/legal_consultation", L("预约法律咨询", "Book legal consultation"));
  if (elder) {
    await expect(page.locator(".day-grid a.day.full"), "elderly mode offers only days with free times").toHaveCount(0);
  }
  await page.locator(".day-grid a.day:not(.full)").first().click();
  await expect(page).toHaveURL(/day=/);
  if (elder) await expect(page.locator(".slot-grid a.slot.full")).toHaveCount(0);
  await page.locator(".slot-grid a.slot:not(.full)").first().click();
  await expect(page).toHaveURL(/time=/);
  await waitForHydration(page, testInfo);
  await expectEveryoneCanUse(page, testInfo);
  const code = await fillBookingForm(page, testInfo);
  await expectEveryoneCanUse(page, testInfo);
  await visit(page, testInfo, `/bookings/${code}`, L("预约详情", "Booking details"));
  await visit(page, testInfo, `/bookings/${code}/reschedule`, L("改约到其他时段", "Move to another time"));
  await visit(page, testInfo, `/bookings/${code}/cancel`, L("确定要取消这个预约吗？", "Cancel this booking?"));
  await visit(page, testInfo, "/bookings", L("我的预约", "My bookings"));

  // mediation: the request form, a case's progress, the device's list
  await visit(page, testInfo, "/mediation/new?place=8", L("申请人民调解", "Ask for mediation"));
  await page.locator("#f-applicant_name").fill(L("李梅", "Li Mei"));
  await page.locator("#f-applicant_phone").fill(freshPhone());
  await page.locator("#f-other_party_name").fill(L("王强", "Wang Qiang"));
  await page.locator('input[name="dispute_type"]').first().check();
  await page.locator("#f-account").fill(L("楼上卫生间漏水到我家厨房，希望对方维修。", "Water leaks from the flat above into my kitchen."));
  await page.locator("#f-consent").check();
  await page.locator("#request-form button[type=submit]").click();
  await expect(page).toHaveURL(/\/mediation\/[2-9A-Z]{10}\?new=1$/);
  await expectEveryoneCanUse(page, testInfo);
  await visit(page, testInfo, "/mediation", L("我的调解申请", "My mediation requests"));
  await visit(page, testInfo, "/no-such-page", L("找不到这个页面", "Page not found"));
});

test("every staff page is usable in this language and mode", async ({ page, browser }, testInfo) => {
  test.setTimeout(120_000);
  const L = textsFor(testInfo);
  await visit(page, testInfo, "/staff/login", L("工作人员登录", "Staff sign-in"));
  await signIn(page, "o8-head");
  await visit(page, testInfo, "/staff?place=8", /.+/);
  await visit(page, testInfo, "/staff/mediation?place=8", L("调解案件", "Mediation cases"));
  const firstCase = page.locator("a[href^='/staff/mediation/']").filter({ hasText: /^[2-9A-Z]{5}-[2-9A-Z]{5}$/ }).first();
  // the resident test of this project filed one at this office
  await expect(firstCase).toBeVisible();
  await firstCase.click();
  await waitForHydration(page, testInfo);
  await expectEveryoneCanUse(page, testInfo);
  await visit(page, testInfo, "/staff/schedules?place=8", new RegExp(L("服务时间", "Opening hours")));
  await visit(page, testInfo, "/staff/stats?scope=8", new RegExp(L("服务统计", "Service statistics")));
  await visit(page, testInfo, "/staff/password", L("修改密码", "Change password"));
  await signIn(page, "district");
  await visit(page, testInfo, "/staff/audit", L("操作日志", "Audit log"));

  // the office TV
  const tv = await browser.newContext({ ...testInfo.project.use, javaScriptEnabled: true });
  const display = await tv.newPage();
  await display.goto("/display/8");
  await expect(display.locator("html")).toHaveAttribute("lang", prefsOf(testInfo).en ? "en" : "zh-CN");
  await expect(display.getByText(L("暂无叫号", "Nobody is being called")).first()).toBeVisible();
  await expectNoAxeViolations(display);
  await tv.close();
});
