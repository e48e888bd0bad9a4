import { APIRequestContext, expect, request as playwrightRequest, test } from "@playwright/test";
import { mkdirSync, rmSync } from "node:fs";
import { dbRoot, expectNoAxeViolations, jsOff, startPortal, stopPortal, waitForHydration } from "./helpers";

// The waiting list, as residents live it: a resident finds a slot full and joins its list;
// someone cancels; the seat is held for her, she sees the offer and books it. Then an offer
// nobody answers runs out and passes to the next in line. The portal is this file's own (its
// clock is restarted past the hold), one database and office per project.

const START = "2026-12-07T08:30:00+08:00";
const DAY = "2026-12-08";

async function book(api: APIRequestContext, office: number, start: string, phone: string): Promise<string> {
  const r = await api.post("/api/v1/bookings", {
    data: { location_id: office, service: "legal_consultation", start, name: "吴刚", phone, topic: "housing", consent: true },
  });
  expect(r.status(), await r.text()).toBe(201);
  return (await r.json()).code;
}

async function join(api: APIRequestContext, office: number, phone: string): Promise<string> {
  const r = await api.post("/api/v1/waitlist", {
    data: {
      location_id: office, service: "legal_consultation", from: DAY, to: DAY, part_of_day: "any",
      name: "郑洁", phone, topic: "housing", consent: true,
    },
  });
  expect(r.status(), await r.text()).toBe(201);
  return (await r.json()).code;
}

async function entryState(api: APIRequestContext, code: string, phone: string): Promise<string> {
  const r = await api.get(`/api/v1/waitlist/${code}`, { headers: { "X-Resident-Phone": phone } });
  expect(r.status(), await r.text()).toBe(200);
  return (await r.json()).state;
}

test("a resident joins a full slot's waiting list, is offered the seat freed by a cancellation and books it; an unanswered offer passes on", async ({ browser }, testInfo) => {
  test.setTimeout(240_000);
  const nojs = jsOff(testInfo);
  const office = nojs ? 6 : 5;
  const port = Number(process.env.PORTAL_E2E_PORT ?? 3100) + (nojs ? 56 : 55);
  const base = `http://127.0.0.1:${port}`;
  const db = `${dbRoot}-waitlist-${testInfo.project.name}`;
  rmSync(db, { recursive: true, force: true });
  mkdirSync(db, { recursive: true });
  const tail = nojs ? "2" : "1";
  const first = "1358000000" + tail;
  const second = "1358000001" + tail;
  const her = "1359000000" + tail;
  const next = "1359000001" + tail;
  const last = "1359000002" + tail;

  let portal = await startPortal(port, db, START);
  let api = await playwrightRequest.newContext({ baseURL: base });
  const context = await browser.newContext({ ...testInfo.project.use, baseURL: base });
  let start: string, cancelled: string, other: string, nextCode: string, lastCode: string;
  try {
    // tomorrow's first slot, made full
    const slots: { start: string; capacity: number; remaining: number }[] = await (
      await api.get(`/api/v1/locations/${office}/slots?service=legal_consultation&from=${DAY}&to=${DAY}`)
    ).json();
    const slot = slots[0];
    expect(slot.capacity, "a slot of two seats or more").toBeGreaterThanOrEqual(2);
    start = slot.start;
    cancelled = await book(api, office, start, first);
    other = await book(api, office, start, second);
    for (let i = 2; i < slot.capacity; i++) {
      await book(api, office, start, "1357000000" + i);
    }

    // she finds it full and joins its list
    const page = await context.newPage();
    await page.goto(`/places/${office}/book/legal_consultation?day=${DAY}&time=${start.slice(11, 16)}#form-step`);
    await waitForHydration(page, testInfo);
    await expect(page.getByText("这个时段已经约满了")).toBeVisible();
    await page.getByRole("link", { name: /加入候补名单/ }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("加入候补名单");
    await waitForHydration(page, testInfo);
    const form = page.locator("#waitlist-form");
    await expect(form.getByLabel("最早日期")).toHaveValue(DAY);
    await expect(form.getByLabel("最晚日期")).toHaveValue(DAY);
    await expect(form.getByLabel("上午下午均可")).toBeChecked();
    await expectNoAxeViolations(page, testInfo);
    await form.getByLabel("姓名").fill("郑洁");
    await form.getByLabel("手机号码").fill(her);
    await form.getByLabel("劳动就业").check();
    await form.getByLabel(/我已阅读并同意/).check();
    await form.getByRole("button", { name: "加入候补" }).click();
    await expect(page).toHaveURL(/\/waitlist\/[2-9A-HJKMNP-Z]{20}\?new=1$/);
    await expect(page.getByRole("status")).toHaveText("已加入候补名单。");
    await expect(page.getByText("候补中")).toBeVisible();
    await expectNoAxeViolations(page, testInfo);
    const herCode = new URL(page.url()).pathname.split("/").pop()!;

    // two more wait behind her
    nextCode = await join(api, office, next);
    lastCode = await join(api, office, last);

    // the first resident cancels: the seat is held for her
    const c = await api.post(`/api/v1/bookings/${cancelled}/cancel`, { data: { phone: first } });
    expect(c.status(), await c.text()).toBe(200);
    await page.goto(`/waitlist/${herCode}`);
    await waitForHydration(page, testInfo);
    await expect(page.getByRole("heading", { name: "有空位了，已为您保留" })).toBeVisible();
    await expect(page.getByText(/请在 .* 前确认，逾时将让给下一位。/)).toBeVisible();
    await expectNoAxeViolations(page, testInfo);
    await page.getByRole("button", { name: "确认预约这个时段" }).click();
    await expect(page).toHaveURL(/\/bookings\/[2-9A-HJKMNP-Z]{10}\?new=1$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("预约成功");

    // under "my bookings": the booking and the entry that became it
    await page.goto("/bookings");
    const mine = page.getByRole("region", { name: "我的候补" });
    await expect(mine).toContainText("已转为预约");

    // the office's clerk sees the list and how many offers became bookings
    const staff = await browser.newContext({ ...testInfo.project.use, baseURL: base });
    try {
      const desk = await staff.newPage();
      await desk.goto("/staff/login");
      await desk.locator("#f-username").fill(`o${office}-clerk`);
      await desk.locator("#f-password").fill("demo1234");
      await desk.locator("form button[type=submit]").click();
      await expect(desk).toHaveURL(/\/staff$/);
      await desk.getByRole("link", { name: "候补名单" }).click();
      await expect(desk.getByRole("heading", { level: 1 })).toHaveText("候补名单");
      await expect(desk.getByText("已为候补居民保留名额 1 次，其中 1 次转为预约。")).toBeVisible();
      const line = desk.locator(".queue-line", { hasText: "郑洁" }).first();
      await expect(line).toContainText("已转为预约");
      await expect(line).toContainText(`${her.slice(0, 3)}****${her.slice(7)}`);
      await expectNoAxeViolations(desk, testInfo);
    } finally {
      await staff.close();
    }

    // the second resident cancels too: the next in line is offered it, and does not answer
    const c2 = await api.post(`/api/v1/bookings/${other}/cancel`, { data: { phone: second } });
    expect(c2.status(), await c2.text()).toBe(200);
    expect(await entryState(api, nextCode, next)).toBe("offered");
    expect(await entryState(api, lastCode, last)).toBe("waiting");
  } finally {
    await api.dispose();
    await stopPortal(portal);
  }

  // 40 minutes later (the hold is 30): the unanswered offer has passed to the last in line
  portal = await startPortal(port, db, "2026-12-07T09:15:00+08:00");
  api = await playwrightRequest.newContext({ baseURL: base });
  try {
    await expect.poll(() => entryState(api, lastCode!, last), { timeout: 60_000, intervals: [500] }).toBe("offered");
    expect(await entryState(api, nextCode!, next)).toBe("expired");
    // the held seat is not free for anyone else
    const slots: { start: string; remaining: number }[] = await (
      await api.get(`/api/v1/locations/${office}/slots?service=legal_consultation&from=${DAY}&to=${DAY}`)
    ).json();
    expect(slots.find((s) => s.start === start!)!.remaining).toBe(0);
  } finally {
    await api.dispose();
    await context.close();
    await stopPortal(portal);
  }
});
