import { expect, test } from "@playwright/test";
import { signIn, waitForHydration } from "../helpers";
import { expectEveryoneCanUse, freshPhone, jsOff, prefsOf, tabTo, textsFor } from "./prefs";

// Keyboard only: every step below is a Tab, Enter, Space, arrow or typed key; nothing is
// clicked or filled. Runs in Chinese and English, default and elderly mode (projects).

test("keyboard only: a resident books a consultation", async ({ page }, testInfo) => {
  const L = textsFor(testInfo);
  await page.goto("/places/3");
  await waitForHydration(page, testInfo);
  await tabTo(page, page.locator('a[href="/places/3/book/legal_consultation"]').first());
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/places\/3\/book\/legal_consultation/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(L("预约法律咨询", "Book legal consultation"));
  await waitForHydration(page, testInfo);

  await tabTo(page, page.locator(".day-grid a.day:not(.full)").first());
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/day=\d{4}-\d{2}-\d{2}/);
  await tabTo(page, page.locator(".slot-grid a.slot:not(.full)").first());
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/time=\d{2}:\d{2}/);
  await expectEveryoneCanUse(page, testInfo);

  // sent with a wrong phone number: the summary names it, in this language
  await tabTo(page, page.locator("#f-name"));
  await page.keyboard.type(L("王芳", "Wang Fang"));
  await tabTo(page, page.locator("#f-phone"));
  await page.keyboard.type("12345");
  await tabTo(page, page.locator(".booking-form button[type=submit]"));
  await page.keyboard.press("Enter");
  const summary = page.locator(".error-summary");
  await expect(summary).toContainText(L("手机号码", "mobile number"));
  if (!jsOff(testInfo)) {
    // hydrated, the summary takes the focus so a screen reader reads it at once
    await expect(summary).toBeFocused();
  }
  await expectEveryoneCanUse(page, testInfo);

  await tabTo(page, page.locator("#f-phone"));
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type(freshPhone());
  // a radio group is one Tab stop; Space picks the focused choice
  await tabTo(page, page.locator('input[name="topic"]').first());
  await page.keyboard.press("Space");
  await tabTo(page, page.locator("#f-consent"));
  await page.keyboard.press("Space");
  await tabTo(page, page.locator(".booking-form button[type=submit]"));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/bookings\/[2-9A-HJKMNP-Z]{10}\?new=1$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(L("预约成功", "Booked"));
  await expectEveryoneCanUse(page, testInfo);
});

test("keyboard only: a resident asks for mediation", async ({ page }, testInfo) => {
  const L = textsFor(testInfo);
  await page.goto("/mediation/new?place=2");
  await waitForHydration(page, testInfo);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(L("申请人民调解", "Ask for mediation"));
  await tabTo(page, page.locator("#f-applicant_name"));
  await page.keyboard.type(L("李梅", "Li Mei"));
  await tabTo(page, page.locator("#f-applicant_phone"));
  await page.keyboard.type(freshPhone());
  await tabTo(page, page.locator("#f-other_party_name"));
  await page.keyboard.type(L("王强", "Wang Qiang"));
  await tabTo(page, page.locator('input[name="dispute_type"]').first());
  await page.keyboard.press("Space");
  await tabTo(page, page.locator("#f-account"));
  await page.keyboard.type(L("楼上卫生间漏水到我家厨房，希望对方维修。", "Water leaks from the flat above into my kitchen; I want it repaired."));
  await tabTo(page, page.locator("#f-consent"));
  await page.keyboard.press("Space");
  await tabTo(page, page.locator("#request-form button[type=submit]"));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/mediation\/[2-9A-Z]{10}\?new=1$/);
  await expect(page.getByRole("status")).toContainText(L<string | RegExp>("提交", /sent/i));
  await expectEveryoneCanUse(page, testInfo);
});

test("keyboard only: a clerk takes a walk-in, calls, serves and finishes", async ({ page, request }, testInfo) => {
  const L = textsFor(testInfo);
  const { en, elder } = prefsOf(testInfo);
  // each project has a workroom of office 8 to itself, so queues never mix
  const all: { id: number; office_id: number | null; services: string[] }[] = await (await request.get("/api/v1/locations")).json();
  const rooms = all.filter((l) => l.office_id === 8 && l.services.includes("legal_consultation"));
  const index = (en ? 1 : 0) + (elder ? 2 : 0) + (jsOff(testInfo) ? 4 : 0);
  const place = rooms[index].id;

  await signIn(page, "o8-clerk");
  await page.goto(`/staff?place=${place}`);
  await waitForHydration(page, testInfo);
  await expectEveryoneCanUse(page, testInfo);
  const waiting = page.locator("#waiting-heading");
  const before = Number((await waiting.textContent())!.match(/\((\d+)\)/)![1]);

  await tabTo(page, page.locator(".actions button[type=submit]").first());
  await page.keyboard.press("Enter");
  await expect(waiting).toContainText(`(${before + 1})`);
  if (!jsOff(testInfo)) {
    // the page's live region says what changed
    await expect(page.locator('p[role="status"][aria-live="polite"]')).toContainText(
      L(`等候 ${before + 1} 人`, `${before + 1} waiting`),
    );
  }
  await tabTo(page, page.locator("#f-desk"));
  await page.keyboard.type(L("2号窗口", "Desk 2"));
  await page.keyboard.press("Enter");
  const active = page.getByRole("region", { name: L("正在办理", "At the desks") });
  const line = active.locator(".queue-line").first();
  await expect(line).toContainText(L("已叫号", "Called"));
  await tabTo(page, line.locator("button", { hasText: L("开始服务", "Serve") }));
  await page.keyboard.press("Enter");
  await expect(active.locator(".queue-line").first()).toContainText(L("服务中", "Being served"));
  const outcome = active.locator(".queue-line").first().locator('select[name="outcome"]');
  await tabTo(page, outcome);
  await page.keyboard.press("ArrowDown");
  await tabTo(page, active.locator(".queue-line").first().locator("button", { hasText: L("办结", "Finish") }));
  await page.keyboard.press("Enter");
  await expect(active.locator(".queue-line")).toHaveCount(0);
  await expectEveryoneCanUse(page, testInfo);
});
