import { expect, test } from "@playwright/test";
import { bookToday, expectNoAxeViolations, jsOff, signIn, waitForHydration } from "./helpers";

// The server's clock starts at Monday 2026-12-07 08:30 (playwright.config.ts).

test("a resident asks for mediation; a clerk carries it to a printed written agreement; the resident follows each step", async ({ page, browser }, testInfo) => {
  // each project works at its own office, so agreement numbers do not depend on run order
  const office = jsOff(testInfo) ? 4 : 2;

  // the resident comes from the office's page
  await page.goto(`/places/${office}`);
  await page.getByRole("link", { name: "申请调解" }).first().click();
  await expect(page).toHaveURL(new RegExp(`/mediation/new\\?place=${office}`));
  await waitForHydration(page, testInfo);
  await expect(page.getByRole("heading", { level: 1, name: "申请人民调解" })).toBeVisible();

  // sending it empty names every missing field, and nothing is lost
  await page.getByLabel("姓名", { exact: true }).fill("李梅");
  await page.getByRole("button", { name: "提交调解申请" }).click();
  const summary = page.getByRole("alert");
  await expect(summary).toContainText("请填写11位手机号码");
  await expect(summary).toContainText("对方当事人：请填写姓名");
  await expect(summary).toContainText("请选择纠纷类型");
  await expect(summary).toContainText("请简要说明纠纷的经过");
  await expect(summary).toContainText("请阅读并勾选同意");
  await expect(page.getByLabel("姓名", { exact: true })).toHaveValue("李梅");
  await expectNoAxeViolations(page, testInfo);

  await page.getByLabel("手机号码", { exact: true }).fill("138 1234 5678");
  await page.getByLabel("对方姓名").fill("王强");
  await page.getByLabel("与对方的关系（选填）").fill("楼上邻居");
  await page.getByLabel("邻里纠纷").check();
  await page.getByLabel("发生了什么，您希望怎样解决").fill("楼上卫生间漏水到我家厨房，多次协商未果，希望对方维修并赔偿损失。");
  await page.getByLabel("我已阅读并同意").check();
  await page.getByRole("button", { name: "提交调解申请" }).click();
  await expect(page).toHaveURL(/\/mediation\/[2-9A-Z]{10}\?new=1$/);
  const code = page.url().match(/mediation\/([2-9A-Z]{10})/)![1];
  await expect(page.getByRole("status")).toContainText("申请已提交");
  await expect(page.locator(".case-state")).toHaveText("已提交，等待受理");
  await expectNoAxeViolations(page, testInfo);

  // the clerk, on another phone
  const desk = await browser.newContext({ ...testInfo.project.use });
  const clerk = await desk.newPage();
  await signIn(clerk, `o${office}-clerk`);
  await clerk.goto(`/staff?place=${office}`);
  await clerk.getByRole("link", { name: "调解案件" }).click();
  await expect(clerk).toHaveURL(new RegExp(`/staff/mediation\\?place=${office}$`));
  await expectNoAxeViolations(clerk, testInfo);
  await clerk.getByRole("link", { name: `${code.slice(0, 5)}-${code.slice(5)}` }).click();
  await waitForHydration(clerk, testInfo);
  await expect(clerk.getByText("楼上卫生间漏水")).toBeVisible();
  await expectNoAxeViolations(clerk, testInfo);

  const state = clerk.locator("#facts-heading");
  await clerk.getByRole("button", { name: "受理" }).click();
  await expect(state).toHaveText("已受理");
  await clerk.getByRole("button", { name: "指派", exact: true }).click();
  await expect(state).toHaveText("已指派调解员");
  await clerk.getByRole("button", { name: "已联系对方当事人" }).click();
  await expect(state).toHaveText("正在联系对方当事人");
  await clerk.getByRole("button", { name: "对方同意调解" }).click();
  await expect(state).toHaveText("对方同意调解");
  // meetings are held in the office's open hours: a time is picked from them
  await clerk.getByLabel("时间").selectOption("2026-12-09T10:00:00+08:00");
  await clerk.getByRole("button", { name: "安排", exact: true }).click();
  await expect(state).toHaveText("已安排调解");

  // the resident sees the meeting
  await page.goto(`/mediation/${code}`);
  await expect(page.locator(".case-session")).toContainText("12月9日 星期三 10:00");

  // a written agreement with an amount; a wrong amount is refused on its field first
  await clerk.getByLabel("达成书面调解协议").check();
  await clerk.getByLabel("涉及金额（元）").fill("五千");
  await clerk.getByLabel("协议内容（调解不成时写原因）").fill("王强于12月15日前修复漏水，并赔偿李梅5000元。");
  await clerk.getByRole("button", { name: "保存结果" }).click();
  await expect(clerk.getByRole("alert")).toContainText("涉及金额请填写数字");
  await expect(state).toHaveText("已安排调解");
  await clerk.getByLabel("达成书面调解协议").check();
  await clerk.getByLabel("涉及金额（元）").fill("5000");
  await clerk.getByLabel("协议内容（调解不成时写原因）").fill("王强于12月15日前修复漏水，并赔偿李梅5000元。");
  await clerk.getByRole("button", { name: "保存结果" }).click();
  await expect(state).toHaveText("调解成功");
  const committee = office === 2 ? "大宁路街道" : "共和新路街道";
  await expect(clerk.locator(".case")).toContainText(`（2026）${committee}调字第0001号`);

  // printed on A4
  await clerk.getByRole("link", { name: "打印调解协议书" }).click();
  await expect(clerk.getByRole("heading", { level: 1, name: "人民调解协议书" })).toBeVisible();
  const paper = clerk.locator(".agreement");
  await expect(paper).toContainText(`（2026）${committee}调字第0001号`);
  await expect(paper).toContainText("李梅");
  await expect(paper).toContainText("王强");
  await expect(paper).toContainText("人民币 5,000.00 元");
  await expect(paper).toContainText(`${committee}人民调解委员会`);
  await expectNoAxeViolations(clerk, testInfo);
  if (!jsOff(testInfo)) {
    await waitForHydration(clerk, testInfo);
    await clerk.evaluate(() => { (window as any).__printed = 0; window.print = () => { (window as any).__printed++; }; });
    await clerk.getByRole("button", { name: "打印" }).click();
    expect(await clerk.evaluate(() => (window as any).__printed)).toBe(1);
  }
  await clerk.emulateMedia({ media: "print" });
  await expect(clerk.locator(".site-header")).toBeHidden();
  await desk.close();

  // the resident's page shows every step, in order, and the agreement
  await page.goto(`/mediation/${code}`);
  await expect(page.locator(".case-state")).toHaveText("调解成功");
  await expect(page.locator(".timeline li .timeline-what")).toHaveText([
    "已提交，等待受理",
    "已受理",
    "已指派调解员",
    "正在联系对方当事人",
    "对方同意调解",
    "已安排调解",
    "调解成功",
  ]);
  await expect(page.locator(".case")).toContainText(`（2026）${committee}调字第0001号`);
  await expectNoAxeViolations(page, testInfo);
});

test("another phone follows a case only with its code and the applicant's phone", async ({ page, browser, request }, testInfo) => {
  const r = await request.post("/api/v1/mediation-requests", {
    data: {
      applicant_name: "陈静", applicant_phone: "13900001111", other_party_name: "某物业公司",
      dispute_type: "property", account: "物业费上涨没有公示，多次沟通无果，希望调解。", location_id: 3, consent: true,
    },
  });
  expect(r.status()).toBe(201);
  const { code } = await r.json();
  await page.goto(`/mediation/${code}`);
  await expect(page.getByRole("heading", { name: "查询调解进度" }).first()).toBeVisible();
  await waitForHydration(page, testInfo);
  await page.getByLabel("手机号码").fill("13900002222");
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page.getByRole("alert")).toContainText("没有找到这个案件");
  await page.getByLabel("手机号码").fill("13900001111");
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page.locator(".case-state")).toHaveText("已提交，等待受理");
  await page.goto("/mediation");
  await expect(page.getByRole("link", { name: `${code.slice(0, 5)}-${code.slice(5)}` })).toBeVisible();
  await expectNoAxeViolations(page, testInfo);
});

test("a consultation at the desk becomes a mediation case in one step, linked to it", async ({ page, request }, testInfo) => {
  const office = jsOff(testInfo) ? 3 : 8;
  const code = await bookToday(request, office);
  await signIn(page, `o${office}-clerk`);
  await page.goto(`/staff?place=${office}`);
  await waitForHydration(page, testInfo);
  await page.getByLabel("预约码签到").fill(code);
  await page.getByRole("button", { name: "签到", exact: true }).click();
  await expect(page.getByRole("region", { name: /等候中/ }).locator(".queue-line", { hasText: "赵敏" })).toBeVisible();
  // at 08:30 the booked slot has not started: walk-ins would go first, and there are none
  await page.getByRole("button", { name: "叫下一位" }).click();
  const desk = page.getByRole("region", { name: "正在办理" });
  await desk.locator(".queue-line", { hasText: "赵敏" }).getByRole("button", { name: "开始服务" }).click();
  await expect(desk.locator(".queue-line", { hasText: "赵敏" })).toContainText("服务中");
  await desk.locator(".queue-line", { hasText: "赵敏" }).getByRole("link", { name: /转为调解案件/ }).click();

  await expect(page.getByRole("heading", { level: 1, name: "转为调解案件" })).toBeVisible();
  await waitForHydration(page, testInfo);
  // the booked resident's details are already there
  await expect(page.getByLabel("姓名", { exact: true })).toHaveValue("赵敏");
  await expect(page.getByLabel("手机号码", { exact: true })).toHaveValue(/^1[3-9]\d{9}$/);
  await page.getByLabel("对方姓名").fill("孙师傅");
  await page.getByLabel("房屋装修、加装电梯纠纷").check();
  await page.getByLabel("发生了什么，您希望怎样解决").fill("装修公司工期拖延两个月，拒不退还预付款，希望调解。");
  await page.getByRole("button", { name: "建立调解案件" }).click();
  await expect(page.getByRole("alert")).toContainText("请阅读并勾选同意");
  await page.getByLabel("居民已当面阅读并同意").check();
  await page.getByRole("button", { name: "建立调解案件" }).click();
  await expect(page).toHaveURL(/\/staff\/mediation\/[2-9A-Z]{10}$/);
  await expect(page.locator("#facts-heading")).toHaveText("已受理");
  await expect(page.getByText("装修公司工期拖延")).toBeVisible();
  await expectNoAxeViolations(page, testInfo);
});
