import { APIRequestContext, expect, Locator, Page, request as playwrightRequest, test } from "@playwright/test";
import { mkdirSync, rmSync } from "node:fs";
import { dbRoot, jsOff, startPortal, stopPortal, waitForHydration } from "./helpers";

// An English visitor (the browser asks for en-GB) sees no Chinese outside proper names and
// addresses: a booking's history with every kind of event, the staff queue and a refused
// staff action.
//
// A booking is only marked as a no-show 15 minutes after its slot has started, and the portal
// under test keeps a clock that starts at 08:30. So this file runs its own portal twice on one
// throw-away database: first at 08:30 (book, move, check in), then, the same database, 20
// minutes after the moved booking's slot has started, when the automatic no-show mark is
// due. Each project has its own database, port and office (11 or 12, which no other spec
// uses), so runs never share a queue.

test.use({ locale: "en-GB" });

const HAN = /\p{Script=Han}+/gu;

/** Every run of Han characters left in `text` once the known names are taken out. */
function hanOutside(text: string, names: string[]): string[] {
  let rest = text;
  for (const name of [...names].sort((a, b) => b.length - a.length)) {
    rest = rest.split(name).join(" ");
  }
  return rest.match(HAN) ?? [];
}

async function expectNoChinese(where: Locator, names: string[], what: string) {
  const text = await where.innerText();
  expect(hanOutside(text, names), `${what}: Chinese outside names and addresses in:\n${text}`).toEqual([]);
}

async function state(api: APIRequestContext, code: string, phone: string): Promise<string> {
  const r = await api.get(`/api/v1/bookings/${code}`, { headers: { "X-Resident-Phone": phone } });
  expect(r.status()).toBe(200);
  return (await r.json()).state;
}

/** Opens a booking's page as its holder: the look-up form with code and phone. */
async function openBooking(page: Page, testInfo: any, code: string, phone: string) {
  await page.goto("/bookings");
  await waitForHydration(page, testInfo);
  await page.locator("#lookup input[name=code]").fill(code);
  await page.locator("#lookup-phone").fill(phone);
  await page.locator("#lookup button[type=submit]").click();
  await expect(page).toHaveURL(new RegExp(`/bookings/${code.replace("-", "")}$`));
}

test("in English the history of every event, the staff queue and a refusal have no Chinese outside names", async ({ browser }, testInfo) => {
  test.setTimeout(240_000);
  const nojs = jsOff(testInfo);
  const office = nojs ? 12 : 11;
  const port = Number(process.env.PORTAL_E2E_PORT ?? 3100) + (nojs ? 52 : 51);
  const base = `http://127.0.0.1:${port}`;
  const db = `${dbRoot}-english-${testInfo.project.name}`;
  rmSync(db, { recursive: true, force: true });
  mkdirSync(db, { recursive: true });

  // ---- 08:30: two bookings at the office; one is moved, the other checked in --------------
  let portal = await startPortal(port, db, "2026-12-07T08:30:00+08:00");
  let api = await playwrightRequest.newContext({ baseURL: base });
  const mover = { name: "赵敏", phone: "13870000" + (nojs ? "002" : "001") };
  const comer = { name: "钱伟", phone: "13870001" + (nojs ? "002" : "001") };
  let moved: string, came: string;
  // 20 minutes after the moved booking's slot started: its no-show mark is due
  let later: Date;
  try {
    const slots: { start: string; remaining: number }[] = await (
      await api.get(`/api/v1/locations/${office}/slots?service=legal_consultation`)
    ).json();
    const today = slots.filter((s) => s.remaining > 0 && s.start.startsWith("2026-12-07"));
    // moved from the first slot to the second; the other booking takes the third and is
    // checked in now, so it is never marked as a no-show
    expect(today.length, "three free slots today").toBeGreaterThanOrEqual(3);
    later = new Date(Date.parse(today[1].start) + 20 * 60_000);
    const book = async (who: { name: string; phone: string }, start: string) => {
      const r = await api.post("/api/v1/bookings", {
        data: {
          location_id: office, service: "legal_consultation", start, name: who.name,
          phone: who.phone, topic: "housing", consent: true,
        },
      });
      expect(r.status(), await r.text()).toBe(201);
      return (await r.json()).code as string;
    };
    moved = await book(mover, today[0].start);
    came = await book(comer, today[2].start);
    const r = await api.post(`/api/v1/bookings/${moved}/reschedule`, { data: { phone: mover.phone, start: today[1].start } });
    expect(r.status(), await r.text()).toBe(200);

    const login = await api.post("/api/v1/staff/login", { data: { username: `o${office}-clerk`, password: "demo1234" } });
    expect(login.status(), await login.text()).toBeLessThan(300);
    const checkIn = await api.post("/api/v1/staff/check-in", { data: { code: came } });
    expect(checkIn.status(), await checkIn.text()).toBeLessThan(300);
  } finally {
    await api.dispose();
    await stopPortal(portal);
  }

  // ---- later that day, the same database: the moved booking is marked as a no-show --------
  portal = await startPortal(port, db, later!.toISOString());
  api = await playwrightRequest.newContext({ baseURL: base });
  const context = await browser.newContext({ ...testInfo.project.use, locale: "en-GB", baseURL: base });
  try {
    await expect.poll(() => state(api, moved, mover.phone), { timeout: 90_000, intervals: [500] }).toBe("no_show");

    const places: { id: number; name: string; address: string }[] = await (await api.get("/api/v1/locations")).json();
    const place = places.find((p) => p.id === office)!;
    expect(place, `office ${office}`).toBeTruthy();
    // proper names: every place (the place chooser lists them), this one's address, the two
    // residents and the clerk's account (named after the office in the demo)
    const names = [...places.map((p) => p.name), place.address, mover.name, comer.name];

    // the clerk's queue, in English
    const page = await context.newPage();
    await page.goto("/staff/login");
    await page.locator("#f-username").fill(`o${office}-clerk`);
    await page.locator("#f-password").fill("demo1234");
    await page.locator("form button[type=submit]").click();
    await expect(page).toHaveURL(/\/staff$/);
    await page.goto(`/staff?place=${office}`);
    await waitForHydration(page, testInfo);
    const expected = page.locator("section", { has: page.locator("#expected-heading") });
    const moverLine = expected.locator(".queue-line", { hasText: mover.name });
    await expect(moverLine).toContainText("Did not come");
    const waiting = page.locator("section", { has: page.locator("#waiting-heading") });
    await expect(waiting.locator(".queue-line", { hasText: comer.name })).toContainText("Waiting");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    const staffNames = [(await page.locator(".place-meta").first().innerText()).split(" · ")[0]];
    await expectNoChinese(page.locator("main"), [...names, ...staffNames], "the staff queue");

    // a refused staff action: the resident who came is checked in a second time
    await page.locator("#f-code").fill(came);
    await page.locator("#f-code").locator("xpath=..").getByRole("button").first().click();
    const refusal = page.getByRole("alert");
    await expect(refusal).toBeVisible();
    await expect(refusal).not.toHaveText("");
    await expectNoChinese(refusal, names, "the refusal");
    await expectNoChinese(page.locator("main"), [...names, ...staffNames], "the staff queue with a refusal");

    // the mark is taken back at the desk
    await page.goto(`/staff?place=${office}`);
    await waitForHydration(page, testInfo);
    await moverLine.getByRole("button", { name: /Undo no-show/ }).click();
    await expect.poll(() => state(api, moved, mover.phone)).toBe("booked");

    // the resident cancels
    const cancel = await api.post(`/api/v1/bookings/${moved}/cancel`, { data: { phone: mover.phone } });
    expect(cancel.status(), await cancel.text()).toBe(200);

    // the histories: booked, moved, a no-show, the mark undone, cancelled; and booked, checked in
    const resident = await context.newPage();
    await openBooking(resident, testInfo, moved, mover.phone);
    const history = resident.locator("main li", { hasText: /^\d\d-\d\d \d\d:\d\d / });
    await expect(history).toHaveText([
      /booked$/,
      /moved \d\d-\d\d \d\d:\d\d → \d\d-\d\d \d\d:\d\d$/,
      /marked as a no-show$/,
      /no-show mark undone$/,
      /cancelled$/,
    ]);
    await expectNoChinese(resident.locator("main"), names, "the moved booking's page");
    await openBooking(resident, testInfo, came, comer.phone);
    await expect(history).toHaveText([/booked$/, /checked in$/]);
    await expectNoChinese(resident.locator("main"), names, "the checked-in booking's page");
  } finally {
    await context.close();
    await api.dispose();
    await stopPortal(portal);
  }
});
