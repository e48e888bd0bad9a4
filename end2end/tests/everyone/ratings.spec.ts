import { expect, request as playwrightRequest, test } from "@playwright/test";
import { expectNoAxeViolations, signIn, waitForHydration } from "../helpers";
import { expectEveryoneCanUse, prefsOf, textsFor } from "./prefs";

// The server's clock starts at Monday 2026-12-07 08:30 (playwright.config.ts).
// Every project works at the last workroom of office 9, which no other spec uses (office 9's
// clerk and head keep the demo password); each finds its own rating by its comment.
const OFFICE = 9;

test("a walk-in rates the visit 不满意 from the ticket's QR link; the head calls back and closes it", async ({ page, browser, baseURL }, testInfo) => {
  const say = textsFor(testInfo);
  const { en } = prefsOf(testInfo);
  const comment = `等了很久 ${testInfo.project.name}`;

  // the desk: a walk-in, called, served and finished (through the staff API)
  const desk = await playwrightRequest.newContext({ baseURL });
  let entry: number;
  let place: number;
  try {
    const places: { id: number; kind: string; office_id: number | null; services: string[] }[] =
      await (await desk.get("/api/v1/locations")).json();
    place = places
      .filter((p) => p.kind === "workroom" && p.office_id === OFFICE && p.services.includes("legal_consultation"))
      .at(-1)!.id;
    expect(place, "a workroom of the office").toBeTruthy();
    const login = await desk.post("/api/v1/staff/login", { data: { username: `o${OFFICE}-clerk`, password: "demo1234" } });
    expect(login.status(), await login.text()).toBe(200);
    const walkIn = await desk.post("/api/v1/staff/walk-ins", { data: { location_id: place, service: "legal_consultation" } });
    expect(walkIn.status(), await walkIn.text()).toBe(201);
    entry = (await walkIn.json()).id;
    for (const [step, body] of [["call", {}], ["serve", {}], ["finish", { outcome: "advice_given" }]] as const) {
      const r = await desk.post(`/api/v1/staff/queue/${entry}/${step}`, { data: body });
      expect(r.status(), `${step}: ${await r.text()}`).toBe(200);
    }
  } finally {
    await desk.dispose();
  }

  // the clerk prints the ticket: its number and the QR code of the rating link
  await signIn(page, `o${OFFICE}-clerk`);
  await page.goto(`/staff/tickets/${entry}`);
  await waitForHydration(page, testInfo);
  await expect(page.locator(".ticket-number strong")).toHaveText(/^A\d{3}$/);
  await expect(page.locator(".ticket .qr svg")).toBeVisible();
  await expectNoAxeViolations(page, testInfo);
  const link = await page.locator(".ticket-link a").getAttribute("href");
  expect(link).toMatch(/\/rate\/W\d+-[2-9A-HJKMNP-Z]{8}$/);

  // the resident scans it on their own phone
  const phone = await browser.newContext({ ...testInfo.project.use, baseURL });
  try {
    const resident = await phone.newPage();
    await resident.goto(new URL(link!).pathname);
    await waitForHydration(resident, testInfo);
    await expect(resident.getByRole("heading", { level: 1 })).toHaveText(say("服务评价", "Rate the service"));
    await expectEveryoneCanUse(resident, testInfo);

    // a poor rating without a reason is refused, naming the field
    await resident.locator("label[for=level-dissatisfied]").click();
    await resident.locator("#rate-form button[type=submit]").click();
    await expect(resident.locator(".error-summary")).toContainText(
      say("请至少选择一个原因", "Please choose at least one reason"),
    );
    await expect(resident.locator("#f-reasons")).toHaveAttribute("aria-invalid", "true");
    // what was chosen is kept (also when the server answered, JavaScript off)
    await expect(resident.locator("#level-dissatisfied")).toBeChecked();
    await expectEveryoneCanUse(resident, testInfo);

    await resident.locator("label[for=reason-waiting_time]").click();
    await resident.locator("#f-comment").fill(comment);
    await resident.locator("#rate-form button[type=submit]").click();
    await expect(resident.getByRole("status").filter({ hasText: say("谢谢您的评价", "Thank you for your rating") })).toBeVisible();
    await expect(resident.locator(".chosen")).toHaveText(say("不满意", "Dissatisfied"));
    await expect(resident.locator("main")).toContainText(say("前给您回电话", "will call you back by"));
    await expectEveryoneCanUse(resident, testInfo);

    // rated once: the page shows the rating, no form
    await resident.reload();
    await expect(resident.locator("#rate-form")).toHaveCount(0);
    await expect(resident.locator(".quote")).toHaveText(comment);
  } finally {
    await phone.close();
  }

  // the head of the office sees the follow-up, calls back and closes it
  await page.context().clearCookies();
  if (prefsOf(testInfo).elder) {
    await page.context().addCookies([{ name: "mode", value: "elder", url: baseURL! }]);
  }
  await signIn(page, `o${OFFICE}-head`);
  await page.goto(`/staff/follow-ups?place=${place}`);
  await waitForHydration(page, testInfo);
  const item = page.locator(".follow-up", { hasText: comment });
  await expect(item).toHaveAttribute("data-state", "open");
  await expect(item).toContainText(say("不满意", "Dissatisfied"));
  await expect(item).toContainText(say("等候时间", "Waiting time"));
  await expectNoAxeViolations(page, testInfo);

  await item.locator("textarea").fill(say("已致电，当事人反映排队太久", "Called; the wait was too long"));
  await item.locator("button[type=submit]").click();
  const called = page.locator(".follow-up", { hasText: comment });
  await expect(called).toHaveAttribute("data-state", "called");
  await called.locator("textarea").fill(say("高峰时段增开一个窗口", "A second desk opens at busy times"));
  await called.locator("button[type=submit]").click();
  // closed items leave the list of open ones, and show among all with their outcome
  await expect(page.locator(".follow-up", { hasText: comment })).toHaveCount(0);
  await page.goto(`/staff/follow-ups?place=${place}&all=1`);
  const closed = page.locator(".follow-up", { hasText: comment });
  await expect(closed).toHaveAttribute("data-state", "closed");
  await expect(closed.locator(".badge")).toHaveText(en ? "Closed on time" : "按期办结");
  await expectNoAxeViolations(page, testInfo);

  // the workroom's statistics count the rating: every rating there today was poor
  await page.goto(`/staff/stats?scope=${place}&from=2026-12-07&to=2026-12-07`);
  const rate = page
    .locator(".figure", { has: page.locator("dt", { hasText: say("满意率", "Satisfaction rate") }) })
    .first();
  await expect(rate.locator("strong")).toHaveText("0.00%");
  await expect(rate.locator(".hint")).toHaveText(/^0 \/ [1-9]\d*$/);
  await expectNoAxeViolations(page, testInfo);
});
