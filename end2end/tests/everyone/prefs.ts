import { expect, Locator, Page, TestInfo } from "@playwright/test";
import { expectNoAxeViolations, jsOff } from "../helpers";

/**
 * The language and mode a project runs in (playwright.config.ts): `lang` comes from the
 * browser's language (Accept-Language), `elder` from the remembered `mode=elder` cookie.
 */
export function prefsOf(testInfo: TestInfo): { en: boolean; elder: boolean } {
  const m = (testInfo.project.metadata ?? {}) as { lang?: string; elder?: boolean };
  return { en: m.lang === "en", elder: !!m.elder };
}

/** Picks the text of the project's language. */
export function textsFor(testInfo: TestInfo) {
  const { en } = prefsOf(testInfo);
  return <T>(zh: T, english: T): T => (en ? english : zh);
}

/**
 * What every page must be in this project's language and mode: the right `lang`, the
 * elderly class and sizes (body text ≥ 18 px, every control ≥ 48 × 48 px), and no axe-core
 * violation. Returns nothing; fails the test with the offending elements named.
 */
export async function expectEveryoneCanUse(page: Page, testInfo: TestInfo) {
  const { en, elder } = prefsOf(testInfo);
  await expect(page.locator("html")).toHaveAttribute("lang", en ? "en" : "zh-CN");
  if (elder) {
    await expect(page.locator("html")).toHaveClass(/\belder\b/);
    const sizes = await page.evaluate(() => {
      const px = (el: Element) => parseFloat(getComputedStyle(el).fontSize);
      const small: string[] = [];
      // every visible text-bearing element of the page
      for (const el of Array.from(document.querySelectorAll("body *"))) {
        const r = (el as HTMLElement).getBoundingClientRect();
        const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent!.trim() !== "");
        if (!own || r.width === 0 || r.height === 0 || el.closest(".visually-hidden, svg, .chart")) continue;
        if (px(el) < 18) small.push(`${el.tagName.toLowerCase()}.${el.className} ${px(el)}px "${el.textContent!.trim().slice(0, 20)}"`);
      }
      const tiny: string[] = [];
      for (const el of Array.from(document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary"))) {
        const r = (el as HTMLElement).getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        // links inside a sentence are exempt (WCAG 2.5.8 "inline"); radios and checkboxes
        // count by their whole label, which is the target
        if (el.tagName === "A" && el.parentElement?.closest("p, li, dd, td") && getComputedStyle(el).display === "inline") continue;
        let box = r;
        if (el.matches("input[type=radio], input[type=checkbox]")) {
          const label = el.closest("label") ?? document.querySelector(`label[for="${el.id}"]`);
          if (label) box = label.getBoundingClientRect();
        }
        if (box.width < 47.5 || box.height < 47.5) {
          tiny.push(`${el.tagName.toLowerCase()} "${(el.textContent || (el as HTMLInputElement).name || "").trim().slice(0, 20)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
        }
      }
      return { body: px(document.body), small, tiny };
    });
    expect(sizes.body, "body text size in elderly mode").toBeGreaterThanOrEqual(18);
    expect(sizes.small, "text under 18 px in elderly mode").toEqual([]);
    expect(sizes.tiny, "controls under 48 × 48 px in elderly mode").toEqual([]);
  } else {
    await expect(page.locator("html")).not.toHaveClass(/\belder\b/);
  }
  await expectNoAxeViolations(page, testInfo);
}

/**
 * Keyboard only: presses Tab until `target` has the focus (failing after `max` presses), and
 * checks that the focused element shows it (an outline or a ring).
 */
export async function tabTo(page: Page, target: Locator, max = 150) {
  const handle = await target.elementHandle();
  expect(handle, "the element to tab to exists").toBeTruthy();
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    if (await handle!.evaluate((el) => el === document.activeElement)) {
      const visible = await handle!.evaluate((el) => {
        const s = getComputedStyle(el);
        const ring = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2;
        return ring || (s.boxShadow !== "none" && s.boxShadow !== "");
      });
      expect(visible, "the focused element shows a visible focus indicator").toBe(true);
      return;
    }
  }
  throw new Error(`could not reach ${target} with ${max} Tab presses`);
}

/** A fresh mainland mobile number, so runs and projects never hit each other's limits. */
export function freshPhone(): string {
  return "136" + String(Math.floor(Math.random() * 1e8)).padStart(8, "0");
}

/** Fills the booking form of a chosen time and sends it; returns the new booking's code. */
export async function fillBookingForm(page: Page, testInfo: TestInfo): Promise<string> {
  const L = textsFor(testInfo);
  await page.locator("#f-name").fill(L("王芳", "Wang Fang"));
  await page.locator("#f-phone").fill(freshPhone());
  await page.locator('input[name="topic"]').first().check();
  await page.locator("#f-consent").check();
  await page.locator(".booking-form button[type=submit]").click();
  await expect(page).toHaveURL(/\/bookings\/[2-9A-HJKMNP-Z]{10}\?new=1$/);
  return page.url().match(/bookings\/([2-9A-Z]{10})/)![1];
}

export { jsOff };
