import { BrowserContext, expect, Page, test } from "@playwright/test";
import { expectNoAxeViolations, jsOff, waitForHydration } from "./helpers";

/** A fresh mainland mobile number, so runs and projects never hit each other's limits. */
function freshPhone(): string {
  return "139" + String(Math.floor(Math.random() * 1e8)).padStart(8, "0");
}

/** Days and times are links; full ones say so in their label. */
async function chooseFreeDay(page: Page, nth = 0) {
  const days = page.getByRole("region", { name: "第一步：选择日期" }).getByRole("link", { name: /还可预约 \d+ 个号/ });
  await days.nth(nth).click();
  await expect(page).toHaveURL(/day=\d{4}-\d{2}-\d{2}/);
  // the next step is brought into view, with or without JavaScript
  await expect(page.locator("#slot-step")).toBeInViewport();
}

async function chooseFreeSlot(page: Page) {
  const slots = page.getByRole("region", { name: "第二步：选择时段" }).getByRole("link", { name: /剩余 \d+ 个号/ });
  await expect(slots.first()).toBeVisible();
  const label = (await slots.first().textContent()) ?? "";
  await slots.first().click();
  await expect(page).toHaveURL(/time=\d{2}:\d{2}/);
  await expect(page.locator("#form-step")).toBeInViewport();
  return label;
}

async function cookiesOf(context: BrowserContext) {
  return (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
}

test("a resident books a consultation, reschedules it and cancels it", async ({ page }, testInfo) => {
  const phone = freshPhone();
  await page.goto("/places/3");
  await waitForHydration(page, testInfo);
  // hydrated, the whole flow runs without a page load: this mark would vanish with one
  if (!jsOff(testInfo)) await page.evaluate(() => ((window as any).__samePage = true));
  await page.getByRole("link", { name: "预约法律咨询" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("预约法律咨询");
  await expectNoAxeViolations(page, testInfo);

  // every day has a full spoken label: date, weekday, seats left
  await chooseFreeDay(page);
  await expect(page.getByRole("link", { name: /^\d+月\d+日 星期[一二三四五六日]，(还可预约 \d+ 个号|已约满)$/ }).first()).toBeVisible();
  await chooseFreeSlot(page);
  const form = page.getByRole("region", { name: "第三步：填写信息" });
  await expect(form.getByText("您选择的时段")).toBeVisible();
  await expectNoAxeViolations(page, testInfo);

  // wrong input: every problem is named, and what was typed stays
  await form.getByLabel("姓名").fill("王芳");
  await form.getByLabel("手机号码").fill("12345");
  await form.getByRole("button", { name: "确认预约" }).click();
  const summary = page.getByRole("alert");
  await expect(summary).toContainText("请填写11位手机号码");
  await expect(summary).toContainText("请选择咨询事项");
  await expect(summary).toContainText("请阅读并勾选同意");
  await expect(form.getByLabel("姓名")).toHaveValue("王芳");
  await expect(form.getByLabel("手机号码")).toHaveAttribute("aria-invalid", "true");
  await expectNoAxeViolations(page, testInfo);

  await form.getByLabel("手机号码").fill(phone);
  await form.getByLabel("劳动就业").check();
  await form.getByLabel("情况简述（选填）").fill("公司拖欠两个月工资");
  await form.getByLabel(/我已阅读并同意/).check();
  await form.getByRole("button", { name: "确认预约" }).click();

  // confirmation: code, QR code, calendar file, remembered on this device
  await expect(page).toHaveURL(/\/bookings\/[2-9A-HJKMNP-Z]{10}\?new=1$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("预约成功");
  const code = (await page.locator(".code").textContent())!.trim();
  expect(code).toMatch(/^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
  await expect(page.getByRole("img", { name: "预约码二维码" }).locator("svg")).toBeVisible();
  await expect(page.getByText("已预约", { exact: true })).toBeVisible();
  await expect(page.getByText(phone.slice(0, 3) + "****" + phone.slice(7))).toBeVisible();
  await expect(page.getByText(phone), "the full number is never shown").toHaveCount(0);
  const ics = await page.request.get(await page.getByRole("link", { name: "加入手机日历" }).getAttribute("href") as string, {
    headers: { cookie: await cookiesOf(page.context()) },
  });
  expect(ics.status()).toBe(200);
  expect(ics.headers()["content-type"]).toContain("text/calendar");
  expect(await ics.text()).toContain("法律咨询预约");
  await expectNoAxeViolations(page, testInfo);
  const firstWhen = await page.locator(".facts dd").nth(1).textContent();

  // reschedule to a slot on another day
  await page.getByRole("link", { name: "改约" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("改约到其他时段");
  await chooseFreeDay(page, 1);
  await chooseFreeSlot(page);
  await expectNoAxeViolations(page, testInfo);
  await page.getByRole("button", { name: "改到这个时段" }).click();
  await expect(page).toHaveURL(/\?moved=1$/);
  await expect(page.getByRole("status")).toHaveText("已改约到新的时段。");
  await expect(page.locator(".facts dd").nth(1)).not.toHaveText(firstWhen!);
  await expect(page.getByRole("region", { name: "办理记录" })).toContainText("改约");

  // cancel, after a confirmation step
  await page.getByRole("link", { name: "取消预约" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("确定要取消这个预约吗？");
  await expectNoAxeViolations(page, testInfo);
  await page.getByRole("button", { name: "确认取消" }).click();
  await expect(page).toHaveURL(/\?cancelled=1$/);
  await expect(page.getByRole("status")).toHaveText("预约已取消。");
  await expect(page.getByText("已取消", { exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "取消预约" }), "a cancelled booking cannot be cancelled again").toHaveCount(0);
  await expectNoAxeViolations(page, testInfo);
  if (!jsOff(testInfo)) {
    expect(await page.evaluate(() => (window as any).__samePage), "no page reload in the flow").toBe(true);
  }

  // "my bookings" on this device still lists it, with its state
  await page.getByRole("navigation").getByRole("link", { name: "我的预约" }).click();
  await expect(page.getByRole("link", { name: new RegExp(`已取消 · 预约码 ${code}`) })).toBeVisible();
  await expectNoAxeViolations(page, testInfo);
});

test("another device needs the phone number, and a wrong one reveals nothing", async ({ page, browser }, testInfo) => {
  const phone = freshPhone();
  await page.goto("/places/3");
  await waitForHydration(page, testInfo);
  await page.getByRole("link", { name: "预约法律咨询" }).click();
  await chooseFreeDay(page, 2);
  await chooseFreeSlot(page);
  const form = page.getByRole("region", { name: "第三步：填写信息" });
  await form.getByLabel("姓名").fill("李建国");
  await form.getByLabel("手机号码").fill(phone);
  await form.getByLabel("婚姻家庭").check();
  await form.getByLabel(/我已阅读并同意/).check();
  await form.getByRole("button", { name: "确认预约" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("预约成功");
  const code = (await page.locator(".code").textContent())!.trim();

  const other = await browser.newContext({ ...testInfo.project.use });
  const stranger = await other.newPage();
  await stranger.goto(`/bookings/${code.replace("-", "")}`);
  await expect(stranger.getByText("要查看这个预约，请输入预约时填写的手机号码。")).toBeVisible();
  await expect(stranger.getByText("李建国")).toHaveCount(0);
  await expect(stranger.locator(".code")).toHaveCount(0);

  await stranger.goto("/bookings");
  await waitForHydration(stranger, testInfo);
  const lookup = stranger.getByRole("region", { name: "用预约码查找" });
  await lookup.getByLabel("预约码").fill(code);
  await lookup.getByLabel("手机号码").fill("13800000000");
  await lookup.getByRole("button", { name: "查找" }).click();
  await expect(stranger.getByRole("alert")).toContainText("没有找到这个预约，请核对预约码和手机号");
  await expect(lookup.getByLabel("预约码"), "the typed code stays").toHaveValue(code);

  await lookup.getByLabel("手机号码").fill(phone);
  await lookup.getByRole("button", { name: "查找" }).click();
  await expect(stranger).toHaveURL(new RegExp(`/bookings/${code.replace("-", "")}$`));
  await expect(stranger.locator(".code")).toHaveText(code);
  await other.close();
});

test("a psychology booking's confirmation does not say psychology", async ({ page }, testInfo) => {
  await page.goto("/places/3/book/psychology");
  await waitForHydration(page, testInfo);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("预约心理咨询");
  await chooseFreeDay(page);
  await chooseFreeSlot(page);
  const form = page.getByRole("region", { name: "第三步：填写信息" });
  await form.getByLabel("姓名").fill("张小明");
  await form.getByLabel("手机号码").fill(freshPhone());
  await form.getByLabel("情绪困扰").check();
  const youth = form.getByLabel("我未满 18 周岁");
  if (await youth.count()) await youth.check();
  await form.getByLabel(/我已阅读并同意/).check();
  await form.getByRole("button", { name: "确认预约" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("预约成功");
  await expect(page.locator("main")).not.toContainText("心理");
  await expect(page.locator("main")).toContainText("公共法律服务预约");
});

test("a full time offers the nearest free times instead", async ({ page, request }, testInfo) => {
  // fill one slot of the last day through the public API
  // the whole booking window (the server's today to its last day)
  const slots: { start: string; remaining: number }[] = await (
    await request.get(`/api/v1/locations/3/slots?service=legal_consultation`)
  ).json();
  const target = slots.filter((s) => s.remaining > 0).at(-1 - (jsOff(testInfo) ? 1 : 0))!;
  for (let i = 0; i < target.remaining; i++) {
    const r = await request.post("/api/v1/bookings", {
      data: { location_id: 3, service: "legal_consultation", start: target.start, name: "占位", phone: freshPhone(), topic: "other", consent: true },
    });
    expect(r.status()).toBe(201);
  }
  const [day, time] = [target.start.slice(0, 10), target.start.slice(11, 16)];
  await page.goto(`/places/3/book/legal_consultation?day=${day}&time=${time}`);
  await waitForHydration(page, testInfo);
  await expect(page.getByRole("link", { name: new RegExp(`${time} 至 \\d{2}:\\d{2}，已约满`) })).toBeVisible();
  const step = page.getByRole("region", { name: "第三步：填写信息" });
  await expect(step.getByText("这个时段已经约满了，请选择其他时段。")).toBeVisible();
  await expect(step.getByRole("button", { name: "确认预约" }), "no form for a full time").toHaveCount(0);
  const offers = step.getByRole("link", { name: /剩余 \d+ 个号/ });
  expect(await offers.count()).toBeGreaterThan(0);
  await expectNoAxeViolations(page, testInfo);
  await offers.first().click();
  await expect(page.getByRole("button", { name: "确认预约" })).toBeVisible();
});
