import { expect, test } from "@playwright/test";
import { mkdirSync, rmSync } from "node:fs";
import { dbRoot, expectNoAxeViolations, jsOff, startPortal, stopPortal, waitForHydration } from "./helpers";

// A resident proves the phone is theirs with the code sent to it, then books; the browser
// remembers the proved phone, so the next booking asks for no code. This file runs its own
// portal with PORTAL_PHONE_VERIFY=sms (the shared one has it off), as a demo without an SMS
// gateway: the page shows the code, marked as a demo.

const NOW = "2026-12-07T08:30:00+08:00";
const OFFICE = 3;

test("a resident verifies the phone with the code sent to it and books; the next booking asks no code", async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const nojs = jsOff(testInfo);
  const port = Number(process.env.PORTAL_E2E_PORT ?? 3100) + (nojs ? 54 : 53);
  const base = `http://127.0.0.1:${port}`;
  const db = `${dbRoot}-verify-${testInfo.project.name}`;
  rmSync(db, { recursive: true, force: true });
  mkdirSync(db, { recursive: true });
  const portal = await startPortal(port, db, NOW, { PORTAL_PHONE_VERIFY: "sms" });
  const context = await browser.newContext({ ...testInfo.project.use, baseURL: base });
  const phone = "13760000" + (nojs ? "002" : "001");
  try {
    const page = await context.newPage();
    const slots: { start: string; remaining: number }[] = await (
      await page.request.get(`/api/v1/locations/${OFFICE}/slots?service=legal_consultation`)
    ).json();
    const free = slots.filter((s) => s.remaining > 0);
    expect(free.length, "two free slots").toBeGreaterThanOrEqual(2);
    const open = async (start: string) => {
      const [day, time] = [start.slice(0, 10), start.slice(11, 16)];
      await page.goto(`/places/${OFFICE}/book/legal_consultation?day=${day}&time=${time}#booking-form`);
      await waitForHydration(page, testInfo);
      return page.getByRole("region", { name: "第三步：填写信息" });
    };
    const fill = async (form: any) => {
      await form.getByLabel("姓名").fill("孙丽");
      await form.getByLabel("手机号码").fill(phone);
      await form.getByLabel("劳动就业").check();
      await form.getByLabel(/我已阅读并同意/).check();
    };

    // first booking: the page asks for the code it just sent, and shows it (a demo)
    let form = await open(free[0].start);
    await fill(form);
    await expect(form.getByLabel("短信验证码")).toHaveCount(0);
    await form.getByRole("button", { name: "确认预约" }).click();
    const codeField = form.getByLabel("短信验证码");
    await expect(codeField).toBeVisible();
    await expect(form.getByRole("status")).toHaveText(`验证码已发送至 ${phone.slice(0, 3)}****${phone.slice(7)}，5 分钟内有效。`);
    const demo = form.locator(".demo-code");
    await expect(demo).toContainText("演示环境：不发送短信，验证码是");
    const code = (await demo.getAttribute("data-demo-code"))!;
    expect(code).toMatch(/^\d{6}$/);
    // what was typed is still there
    await expect(form.getByLabel("姓名")).toHaveValue("孙丽");
    await expectNoAxeViolations(page, testInfo);

    // a wrong code is refused with the tries left, the form kept
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    await codeField.fill(wrong);
    await form.getByRole("button", { name: "确认预约" }).click();
    await expect(page.getByRole("alert")).toContainText("验证码不正确，还可以再试 4 次");
    await expect(form.getByLabel("短信验证码")).toHaveAttribute("aria-invalid", "true");
    if (nojs) {
      // the page came back from the server: the form is filled again from what was kept
      await expect(form.getByLabel("手机号码")).toHaveValue(phone);
    }
    await form.getByLabel("短信验证码").fill(code);
    await form.getByRole("button", { name: "确认预约" }).click();
    await expect(page).toHaveURL(/\/bookings\/[2-9A-HJKMNP-Z]{10}\?new=1$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("预约成功");

    // the browser remembers the proved phone, without holding the number
    const kept = (await context.cookies()).find((c) => c.name === "portal_phones");
    expect(kept, "the proved-phone cookie").toBeTruthy();
    expect(kept!.httpOnly).toBe(true);
    expect(kept!.value).not.toContain(phone);
    expect(kept!.expires - Date.now() / 1000).toBeGreaterThan(29 * 24 * 3600);

    // second booking from this browser: no code asked
    form = await open(free[1].start);
    await fill(form);
    await form.getByRole("button", { name: "确认预约" }).click();
    await expect(page).toHaveURL(/\/bookings\/[2-9A-HJKMNP-Z]{10}\?new=1$/);

    // another browser with the same number is asked again
    const other = await browser.newContext({ ...testInfo.project.use, baseURL: base });
    try {
      const stranger = await other.newPage();
      const [day, time] = [free[2].start.slice(0, 10), free[2].start.slice(11, 16)];
      await stranger.goto(`/places/${OFFICE}/book/legal_consultation?day=${day}&time=${time}#booking-form`);
      await waitForHydration(stranger, testInfo);
      const f = stranger.getByRole("region", { name: "第三步：填写信息" });
      await f.getByLabel("姓名").fill("孙丽");
      await f.getByLabel("手机号码").fill(phone);
      await f.getByLabel("劳动就业").check();
      await f.getByLabel(/我已阅读并同意/).check();
      await f.getByRole("button", { name: "确认预约" }).click();
      await expect(f.getByLabel("短信验证码")).toBeVisible();
      await expect(stranger).toHaveURL(/\/book\//);
    } finally {
      await other.close();
    }
  } finally {
    await context.close();
    await stopPortal(portal);
  }
});

test("a mediation request asks for the applicant's code; a wrong one is refused and the form kept", async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const nojs = jsOff(testInfo);
  const port = Number(process.env.PORTAL_E2E_PORT ?? 3100) + (nojs ? 58 : 57);
  const base = `http://127.0.0.1:${port}`;
  const db = `${dbRoot}-verify-mediation-${testInfo.project.name}`;
  rmSync(db, { recursive: true, force: true });
  mkdirSync(db, { recursive: true });
  const portal = await startPortal(port, db, NOW, { PORTAL_PHONE_VERIFY: "sms" });
  const context = await browser.newContext({ ...testInfo.project.use, baseURL: base });
  const phone = "13760001" + (nojs ? "002" : "001");
  try {
    const page = await context.newPage();
    await page.goto(`/mediation/new?place=${OFFICE}`);
    await waitForHydration(page, testInfo);
    await page.getByLabel("姓名", { exact: true }).fill("李梅");
    await page.getByLabel("手机号码", { exact: true }).fill(phone);
    await page.getByLabel("对方姓名").fill("王强");
    await page.getByLabel("邻里纠纷").check();
    await page.getByLabel("发生了什么，您希望怎样解决").fill("楼上卫生间漏水到我家厨房，多次协商未果，希望对方维修并赔偿损失。");
    await page.getByLabel("我已阅读并同意").check();
    await page.getByRole("button", { name: "提交调解申请" }).click();

    const code = page.getByLabel("短信验证码");
    await expect(code).toBeVisible();
    const demo = (await page.locator(".demo-code").getAttribute("data-demo-code"))!;
    await code.fill(String((Number(demo) + 1) % 1_000_000).padStart(6, "0"));
    await page.getByRole("button", { name: "提交调解申请" }).click();
    await expect(page.getByRole("alert")).toContainText("验证码不正确，还可以再试 4 次");
    await expect(page.getByLabel("对方姓名")).toHaveValue("王强");
    await expectNoAxeViolations(page, testInfo);

    await page.getByLabel("短信验证码").fill(demo);
    await page.getByRole("button", { name: "提交调解申请" }).click();
    await expect(page).toHaveURL(/\/mediation\/[2-9A-Z]{10}\?new=1$/);
    await expect(page.getByRole("status")).toContainText("申请已提交");
  } finally {
    await context.close();
    await stopPortal(portal);
  }
});
