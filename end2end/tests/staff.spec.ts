import { expect, test } from "@playwright/test";
import { bookToday, expectNoAxeViolations, jsOff, signIn, waitForHydration } from "./helpers";

// The server's clock starts at Monday 2026-12-07 08:30 (playwright.config.ts).

test("a clerk checks in, takes a walk-in, calls, serves and finishes both; the display follows within a second", async ({ page, browser, request }, testInfo) => {
  // each project works at its own office, so runs do not share a queue
  const office = jsOff(testInfo) ? 6 : 5;
  const code = await bookToday(request, office);

  // the office TV: a second browser, always with JavaScript
  const tv = await browser.newContext({ ...testInfo.project.use, javaScriptEnabled: true, viewport: { width: 1280, height: 720 }, isMobile: false, hasTouch: false });
  const display = await tv.newPage();
  await display.goto(`/display/${office}`);
  await display.waitForFunction(() => (window as any).__portalHydrated === true);
  await expect(display.getByText("暂无叫号")).toBeVisible();
  await expect(display.getByText("实时更新中")).toBeVisible();

  await signIn(page, `o${office}-clerk`);
  await page.goto(`/staff?place=${office}`);
  await waitForHydration(page, testInfo);
  await expectNoAxeViolations(page, testInfo);

  // check the booked resident in by code
  await page.getByLabel("预约码签到").fill(code);
  await page.getByRole("button", { name: "签到", exact: true }).click();
  const waiting = page.getByRole("region", { name: /等候中/ });
  await expect(waiting.locator(".queue-line", { hasText: "赵敏" })).toContainText("A001");
  await expect(display.locator(".display-next-list")).toContainText("A001", { timeout: 1000 });

  // a walk-in
  await page.getByRole("button", { name: "法律咨询 · 现场取号" }).click();
  await expect(waiting.locator(".queue-line", { hasText: "A002" })).toBeVisible();

  // 08:30: the booked slot has not started, so the walk-in is called first
  await page.getByLabel("窗口").fill("3号窗口");
  await page.getByRole("button", { name: "叫下一位" }).click();
  const desk = page.getByRole("region", { name: "正在办理" });
  await expect(desk.locator(".queue-line", { hasText: "A002" })).toContainText("已叫号");
  await expect(display.locator(".display-calling")).toContainText("A002", { timeout: 1000 });
  await expect(display.locator(".display-calling")).toContainText("3号窗口");

  for (const ticket of ["A002", "A001"]) {
    if (ticket === "A001") {
      await page.getByRole("button", { name: "叫下一位" }).click();
      await expect(desk.locator(".queue-line", { hasText: "A001" })).toContainText("已叫号");
      await expect(display.locator(".display-calling")).toContainText("A001", { timeout: 1000 });
    }
    const line = desk.locator(".queue-line", { hasText: ticket });
    await line.getByRole("button", { name: "开始服务" }).click();
    await expect(desk.locator(".queue-line", { hasText: ticket })).toContainText("服务中");
    await desk.locator(".queue-line", { hasText: ticket }).getByLabel("办理结果").selectOption("advice_given");
    await desk.locator(".queue-line", { hasText: ticket }).getByRole("button", { name: "办结" }).click();
    const finished = page.getByRole("region", { name: /已办结/ });
    await expect(finished.locator(".queue-line", { hasText: ticket })).toContainText("已完成");
  }
  await expect(display.locator(".display-calling")).toContainText("暂无叫号", { timeout: 1000 });
  await expectNoAxeViolations(page, testInfo);
  await expectNoAxeViolations(display);

  // the display never shows names or phone numbers
  await expect(display.locator("body")).not.toContainText("赵敏");
  await tv.close();
});

test("a clerk checks a resident in by scanning the QR code, where the phone can", async ({ page, browser, request }, testInfo) => {
  await signIn(page, "o7-clerk");
  await page.goto("/staff?place=7");
  await waitForHydration(page, testInfo);
  // Debian's Chromium has no BarcodeDetector (nor does any page without JavaScript): typing only
  await expect(page.getByLabel("预约码签到")).toBeVisible();
  await expect(page.getByRole("button", { name: "扫码签到" })).toHaveCount(0);
  test.skip(jsOff(testInfo), "scanning needs JavaScript");

  // A phone that has one. The browser's detector is the one part played by a stand-in: it
  // sees nothing twice, then a QR code that is not a booking, until the resident's code is
  // held up. The camera is Chromium's synthetic one; opening it, reading frames, checking the
  // code and submitting the form are the portal's own code.
  const code = await bookToday(request, 7);
  const phone = await browser.newContext({ ...testInfo.project.use, permissions: ["camera"] });
  await phone.addInitScript((code: string) => {
    let frames = 0;
    (window as any).BarcodeDetector = class {
      constructor(options: { formats: string[] }) {
        if (!options.formats.includes("qr_code")) throw new Error("asked for the wrong format");
      }
      async detect(frame: HTMLVideoElement) {
        if (!(frame instanceof HTMLVideoElement) || frame.readyState < 2) throw new Error("no camera frame");
        frames += 1;
        if (frames <= 2) return [];
        if ((window as any).residentHoldsUpCode) return [{ rawValue: code.toLowerCase() }];
        return [{ rawValue: "https://example.com/coupon" }];
      }
    };
  }, code);
  const clerk = await phone.newPage();
  await signIn(clerk, "o7-clerk");
  await clerk.goto("/staff?place=7");
  await waitForHydration(clerk, testInfo);
  await clerk.getByRole("button", { name: "扫码签到" }).click();
  await expect(clerk.locator("video.scan-video")).toBeVisible();
  await expect(clerk.getByRole("button", { name: "扫码签到" })).toBeHidden();
  await expect(clerk.getByRole("button", { name: "停止扫码" })).toBeVisible();
  await expect(clerk.getByRole("status").filter({ hasText: "不是预约码" })).toBeVisible();

  // meanwhile another desk gives out a ticket: the clerk's queue follows, the scan goes on
  const waiting = clerk.getByRole("region", { name: /等候中/ });
  const before = await waiting.locator(".queue-line").count();
  await page.getByRole("button", { name: "法律咨询 · 现场取号" }).click();
  await expect(waiting.locator(".queue-line")).toHaveCount(before + 1);
  await expect(clerk.locator("video.scan-video")).toBeVisible();
  await expect(clerk.getByRole("button", { name: "停止扫码" })).toBeVisible();
  await expect(clerk.getByRole("status").filter({ hasText: "不是预约码" })).toBeVisible();

  const residents = waiting.locator(".queue-line", { hasText: "赵敏" });
  const waitingBefore = await residents.count();
  await clerk.evaluate(() => ((window as any).residentHoldsUpCode = true));
  await expect(residents).toHaveCount(waitingBefore + 1);
  // the camera is switched off again once the code is read
  await expect(clerk.locator("video.scan-video")).toBeHidden();
  await expect(clerk.getByRole("button", { name: "扫码签到" })).toBeVisible();
  await expectNoAxeViolations(clerk, testInfo);
  await phone.close();
});

test("staff pages refuse strangers and other offices", async ({ page, request }, testInfo) => {
  await page.goto("/staff");
  await expect(page.getByText("请先登录工作人员账号。")).toBeVisible();
  await page.goto("/staff/login");
  await page.getByLabel("用户名").fill("o7-clerk");
  await page.getByLabel("密码").fill("wrong-password");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("alert")).toContainText("用户名或密码不正确");
  await expectNoAxeViolations(page, testInfo);
  await signIn(page, "o7-clerk");
  await page.goto("/staff?place=8");
  await expect(page.getByRole("alert")).toContainText("没有权限");
});

test("an office head changes opening hours; bookings it would cancel are listed and need confirming", async ({ page, request }, testInfo) => {
  const office = jsOff(testInfo) ? 10 : 9;
  const code = await bookToday(request, office);
  await signIn(page, `o${office}-head`);
  await page.goto(`/staff?place=${office}`);
  await page.getByRole("link", { name: "修改服务时间" }).click();
  await expect(page).toHaveURL(new RegExp(`/staff/schedules\\?place=${office}$`));
  await waitForHydration(page, testInfo);
  const consultation = page.getByRole("region", { name: "法律咨询" });
  const rules = consultation.getByLabel("每周开放规则");
  await expect(rules).toHaveValue(/mon-fri|mon/);
  await expectNoAxeViolations(page, testInfo);

  // no more Mondays (the fixed test day is a Monday): refused, with the booking listed
  await rules.fill("tue-fri 09:00-11:30 30min x2");
  await consultation.getByRole("button", { name: "保存" }).click();
  const alert = consultation.getByRole("alert");
  await expect(alert).toContainText("这项调整会取消 1 个已有预约");
  await expect(alert).toContainText("赵敏");
  await expect(consultation.getByLabel("每周开放规则"), "what was typed stays").toHaveValue("tue-fri 09:00-11:30 30min x2");
  await expectNoAxeViolations(page, testInfo);

  await consultation.getByLabel("确认取消受影响的预约并通知预约人").check();
  await consultation.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("region", { name: "法律咨询" }).getByLabel("每周开放规则")).toHaveValue("tue-fri 09:00-11:30 30min x2");
  await expect(page.getByRole("region", { name: "法律咨询" }).getByRole("alert")).toHaveCount(0);
  const slots: { start: string }[] = await (await request.get(`/api/v1/locations/${office}/slots?service=legal_consultation`)).json();
  expect(slots.some((s) => s.start.startsWith("2026-12-14")), "no Monday slots").toBe(false);
  expect(code).toBeTruthy();
});

test("a clerk changes their password, the district reads the audit log, a head closes a day", async ({ page, browser, request }, testInfo) => {
  const [clerkOffice, headOffice] = jsOff(testInfo) ? [13, 14] : [11, 12];
  await signIn(page, `o${clerkOffice}-clerk`);
  await page.getByRole("link", { name: "修改密码" }).click();
  await waitForHydration(page, testInfo);
  await page.getByLabel("原密码").fill("not-my-password");
  await page.getByLabel("新密码（至少 8 位）").fill("new-pass-2026");
  await page.getByLabel("再输入一次新密码").fill("new-pass-2026");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("alert")).toContainText("原密码不正确");
  await page.getByLabel("原密码").fill("demo1234");
  await page.getByLabel("新密码（至少 8 位）").fill("new-pass-2026");
  await page.getByLabel("再输入一次新密码").fill("new-pass-2027");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("alert")).toContainText("两次输入的新密码不一致");
  await expectNoAxeViolations(page, testInfo);
  await page.getByLabel("原密码").fill("demo1234");
  await page.getByLabel("新密码（至少 8 位）").fill("new-pass-2026");
  await page.getByLabel("再输入一次新密码").fill("new-pass-2026");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("status")).toHaveText("密码已修改。");
  const fresh = await browser.newContext({ ...testInfo.project.use });
  const r = await fresh.request.post("/api/v1/staff/login", { data: { username: `o${clerkOffice}-clerk`, password: "new-pass-2026" } });
  expect(r.status()).toBe(200);
  await fresh.close();

  // the district admin sees it in the audit log
  await page.context().clearCookies();
  await signIn(page, "district");
  await page.getByRole("link", { name: "操作日志" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("操作日志");
  await expect(page.getByText(`o${clerkOffice}-clerk · password_changed`)).toBeVisible();
  await expectNoAxeViolations(page, testInfo);

  // an office head closes Wednesday for consultations
  await page.context().clearCookies();
  await signIn(page, `o${headOffice}-head`);
  await page.goto(`/staff/schedules?place=${headOffice}`);
  await waitForHydration(page, testInfo);
  const closure = page.getByRole("region", { name: "某天暂停服务" });
  await closure.getByLabel("日期").fill("2026-12-09");
  await closure.getByLabel("服务").selectOption("legal_consultation");
  await closure.getByLabel("原因（选填）").fill("业务培训");
  await closure.getByRole("button", { name: "暂停这一天" }).click();
  await expect(async () => {
    const slots: { start: string }[] = await (await request.get(`/api/v1/locations/${headOffice}/slots?service=legal_consultation`)).json();
    expect(slots.some((s) => s.start.startsWith("2026-12-09"))).toBe(false);
    expect(slots.some((s) => s.start.startsWith("2026-12-10"))).toBe(true);
  }).toPass({ timeout: 5000 });
});
