import { expect, test } from "@playwright/test";
import { expectNoAxeViolations, jsOff, waitForHydration } from "./helpers";

type Place = { id: number; name: string; kind: string; office_id: number | null };

test("the home page lists all 14 offices, each linking to its page", async ({ page, request }, testInfo) => {
  const places: Place[] = await (await request.get("/api/v1/locations")).json();
  const offices = places.filter((p) => p.kind === "office");
  expect(offices).toHaveLength(14);

  await page.goto("/");
  await waitForHydration(page, testInfo);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("示范区公共法律服务");
  const list = page.getByRole("region", { name: "各街镇司法所" });
  for (const o of offices) {
    await expect(list.getByRole("link", { name: new RegExp(o.name) })).toHaveAttribute("href", `/places/${o.id}`);
  }
  await expectNoAxeViolations(page, testInfo);
});

test("search finds a workroom by its neighbourhood name", async ({ page }, testInfo) => {
  await page.goto("/");
  await waitForHydration(page, testInfo);
  const box = page.getByRole("searchbox", { name: "查找服务网点" });
  const results = page.getByRole("list", { name: "搜索结果" });

  if (jsOff(testInfo)) {
    // A plain GET form: the server renders the results page.
    await box.fill("平顺");
    await box.press("Enter");
    await expect(page).toHaveURL(/\?q=/);
    await expect(box, "the query stays in the box").toHaveValue("平顺");
  } else {
    // After hydration results follow the typing, without leaving the page.
    await box.pressSequentially("平顺", { delay: 50 });
    await expect(page).toHaveURL(/\/$/);
  }
  await expect(results.getByRole("link", { name: /平顺居民区法律服务工作室/ })).toBeVisible();
  await expect(page.getByText(/找到 \d+ 个网点/)).toBeVisible();
  await expectNoAxeViolations(page, testInfo);

  await results.getByRole("link", { name: /平顺居民区法律服务工作室/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("平顺居民区法律服务工作室");
  await expect(page.getByRole("heading", { name: "法律咨询" })).toBeVisible();
  await expect(page.getByRole("link", { name: "彭浦新村街道司法所" })).toBeVisible();
});

test("a search with no match says so", async ({ page }, testInfo) => {
  await page.goto("/?q=火星基地");
  await waitForHydration(page, testInfo);
  await expect(page.getByText("没有找到匹配的网点")).toBeVisible();
});

test("the offices page lists each office with its workrooms", async ({ page }, testInfo) => {
  await page.goto("/offices");
  await waitForHydration(page, testInfo);
  await expect(page.getByRole("heading", { level: 2 })).toHaveCount(14);
  const office = page.getByRole("region", { name: "北站街道司法所" });
  await office.getByText(/下属居村法律服务工作室/).click();
  await expect(office.getByRole("listitem").filter({ has: page.getByRole("link") }).first()).toBeVisible();
  await expectNoAxeViolations(page, testInfo);
});

test("the place page shows address, services and opening hours", async ({ page }, testInfo) => {
  await page.goto("/places/3");
  await waitForHydration(page, testInfo);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("江宁路街道司法所");
  await expect(page.getByRole("heading", { name: "心理咨询" })).toBeVisible();
  await expect(page.getByText("周五 13:30–16:30（仅限青少年）")).toBeVisible();
  await expect(page.getByText("随时可以申请，无需预约时段").first()).toBeVisible();
  await expectNoAxeViolations(page, testInfo);
});

test("an unknown place gets a helpful not-found page", async ({ page }, testInfo) => {
  const response = await page.goto("/places/999999");
  expect(response?.status()).toBe(404);
  await waitForHydration(page, testInfo);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("找不到这个页面");
  await expectNoAxeViolations(page, testInfo);
});

test("after hydration, links navigate without reloading the page", async ({ page }, testInfo) => {
  test.skip(jsOff(testInfo), "client-side navigation needs JavaScript");
  await page.goto("/");
  await waitForHydration(page, testInfo);
  await page.evaluate(() => ((window as any).__marker = "still here"));
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "服务网点" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("各街镇司法所");
  expect(await page.evaluate(() => (window as any).__marker)).toBe("still here");
});
