import { expect, test } from "@playwright/test";
import { waitForHydration } from "../helpers";
import { Page } from "@playwright/test";
import { prefsOf, textsFor } from "./prefs";

async function isElder(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.classList.contains("elder"));
}

// The two switches: one tap from any page, back to the same page, remembered.

test("language and elderly mode switch from any page, return to it, and are remembered", async ({ page }, testInfo) => {
  const L = textsFor(testInfo);
  const { en, elder } = prefsOf(testInfo);
  const start = "/places/3/book/legal_consultation";
  await page.goto(start);
  await waitForHydration(page, testInfo);

  // the language link is written in the language it switches to
  await page.getByRole("link", { name: en ? "中文" : "English", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`${start}$`));
  await expect(page.locator("html")).toHaveAttribute("lang", en ? "zh-CN" : "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(en ? "预约法律咨询" : "Book legal consultation");
  // remembered on the next page, whatever the browser's language
  await page.goto("/offices");
  await expect(page.locator("html")).toHaveAttribute("lang", en ? "zh-CN" : "en");
  await page.getByRole("link", { name: en ? "English" : "中文", exact: true }).click();
  await expect(page).toHaveURL(/\/offices$/);
  await expect(page.locator("html")).toHaveAttribute("lang", en ? "en" : "zh-CN");

  // elderly mode
  const enter = L("长辈模式（大字）", "Senior mode (large text)");
  const leave = L("退出长辈模式", "Leave senior mode");
  await page.getByRole("link", { name: elder ? leave : enter }).click();
  await expect(page).toHaveURL(/\/offices$/);
  if (elder) {
    await expect(page.locator("html")).not.toHaveClass(/elder/);
    expect(await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize))).toBeLessThan(18);
  } else {
    await expect(page.locator("html")).toHaveClass(/elder/);
    expect(await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize))).toBeGreaterThanOrEqual(18);
  }
  await page.goto("/");
  await expect(page.locator("html")).toHaveClass(elder ? /^(?!.*elder)/ : /elder/);
  await page.getByRole("link", { name: elder ? enter : leave }).click();
  await expect(page.locator("html")).toHaveClass(elder ? /elder/ : /^(?!.*elder)/);
});

test("a wrong field is named in this language", async ({ page }, testInfo) => {
  await page.goto("/mediation/new?place=2");
  await waitForHydration(page, testInfo);
  await page.locator("#f-applicant_name").fill("Li");
  await page.locator("#f-applicant_phone").fill("12345");
  await page.locator("#request-form button[type=submit]").click();
  const summary = page.locator(".error-summary");
  await expect(summary).toBeVisible();
  const text = (await summary.textContent()) ?? "";
  if (prefsOf(testInfo).en) {
    expect(text, "no Chinese in an English error summary").not.toMatch(/[\u4e00-\u9fff]/);
    await expect(summary).toContainText(/mobile/i);
  } else {
    await expect(summary).toContainText("手机号码");
  }
  await expect(summary.getByRole("link").first()).toHaveAttribute("href", /#f-/);
  await expect(page.locator("#f-applicant_name"), "nothing typed is lost").toHaveValue("Li");
});
