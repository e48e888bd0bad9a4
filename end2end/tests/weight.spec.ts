import { CDPSession, expect, Page, test } from "@playwright/test";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { followInApp, jsOff, waitForHydration } from "./helpers";

// What a resident's phone downloads on a first visit, counted by the browser itself (bytes
// received, headers included, as compressed on the wire): the home page, then the whole
// booking flow from there. A size, not a timing: the same build gives the same bytes on any
// machine. Staff pages are not counted (their chunk never loads on these pages).
//
// Issue 21 asks for at most 200 KB. Until the bundle gets there the limits are a ratchet just
// above today's figures (409,735 and 424,591 bytes on 7 Dec 2026, with erase_components;
// BENCHMARKS.md), so the bundle cannot grow back; lower them with every cut. `PORTAL_WEIGHT_LIMIT` overrides both
// (`bench/page-weight.sh` uses it to measure without failing).
const TARGET_BYTES = 200 * 1024;
const HOME_LIMIT = Number(process.env.PORTAL_WEIGHT_LIMIT ?? 420 * 1024);
const FLOW_LIMIT = Number(process.env.PORTAL_WEIGHT_LIMIT ?? 436 * 1024);

test.beforeEach(({}, testInfo) => {
  test.skip(jsOff(testInfo), "without JavaScript a phone downloads only the HTML and the CSS");
});

/** Bytes received per URL, from the browser's own network events. */
async function meter(page: Page): Promise<{ cdp: CDPSession; bytes: Map<string, number> }> {
  const cdp = await page.context().newCDPSession(page);
  const urls = new Map<string, string>();
  const bytes = new Map<string, number>();
  cdp.on("Network.requestWillBeSent", (e: any) => urls.set(e.requestId, e.request.url));
  cdp.on("Network.loadingFinished", (e: any) => {
    const url = urls.get(e.requestId) ?? e.requestId;
    bytes.set(url, (bytes.get(url) ?? 0) + e.encodedDataLength);
  });
  await cdp.send("Network.enable");
  // a first visit: nothing cached from an earlier test
  await cdp.send("Network.clearBrowserCache");
  return { cdp, bytes };
}

const total = (bytes: Map<string, number>) => [...bytes.values()].reduce((a, b) => a + b, 0);

/** The server precompresses the bundle after it starts; sizes count only once it is done. */
async function waitForBrotli(page: Page) {
  const html = await (await page.request.get("/")).text();
  const names = html.match(/\("pkg","([^"]*)","([^"]*)"\)/);
  expect(names, "the page names its bundle").not.toBeNull();
  const wasm = `/pkg/${names![2]}.wasm`;
  await expect
    .poll(async () => (await page.request.get(wasm, { headers: { "accept-encoding": "br" } })).headers()["content-encoding"], {
      timeout: 120_000,
      intervals: [500],
    })
    .toBe("br");
  // the chunks are compressed after the core (beside them, as .br files): wait for every one
  const pkg = `${process.env.PORTAL_E2E_SITE_ROOT ?? "../target/site"}/pkg`;
  const done = () => {
    const files = readdirSync(pkg);
    return files.filter((f) => f.endsWith(".wasm")).length === files.filter((f) => f.endsWith(".wasm.br")).length;
  };
  await expect.poll(done, { timeout: 120_000, intervals: [500] }).toBe(true);
  // the last file may still be being written
  await page.waitForTimeout(1_000);
}

function report(name: string, bytes: Map<string, number>) {
  const rows = [...bytes.entries()]
    .map(([url, n]) => ({ url: new URL(url).pathname + new URL(url).search, bytes: n }))
    .sort((a, b) => b.bytes - a.bytes);
  mkdirSync("../target/weight", { recursive: true });
  writeFileSync(`../target/weight/${name}.json`, JSON.stringify({ total: total(bytes), target: TARGET_BYTES, rows }, null, 1));
  return rows.map((r) => `${r.bytes}\t${r.url}`).join("\n");
}

test("a first visit to the home page stays under the resident pages' size limit", async ({ page }, testInfo) => {
  await waitForBrotli(page);
  const { bytes } = await meter(page);
  await page.goto("/");
  await waitForHydration(page, testInfo);
  await page.waitForLoadState("networkidle");
  const list = report("home", bytes);
  expect(bytes.size, "the home page, its styles and the app were counted").toBeGreaterThan(4);
  expect(total(bytes), `home, first visit:\n${list}`).toBeLessThanOrEqual(HOME_LIMIT);
});

test("the whole booking flow from a first visit stays under the limit", async ({ page }, testInfo) => {
  await waitForBrotli(page);
  const { bytes } = await meter(page);
  await page.goto("/");
  await waitForHydration(page, testInfo);
  // a tap on a place (as from the list of offices), then the booking steps, all in the app
  await followInApp(page, "/places/3");
  await page.getByRole("link", { name: "预约法律咨询" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("预约法律咨询");
  await page.getByRole("region", { name: "第一步：选择日期" }).getByRole("link", { name: /还可预约 \d+ 个号/ }).first().click();
  await page.getByRole("region", { name: "第二步：选择时段" }).getByRole("link", { name: /剩余 \d+ 个号/ }).first().click();
  const form = page.getByRole("region", { name: "第三步：填写信息" });
  await form.getByLabel("姓名").fill("王芳");
  await form.getByLabel("手机号码").fill("139" + String(Math.floor(Math.random() * 1e8)).padStart(8, "0"));
  await form.getByLabel("劳动就业").check();
  await form.getByLabel(/我已阅读并同意/).check();
  await form.getByRole("button", { name: "确认预约" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("预约成功");
  await page.waitForLoadState("networkidle");
  const list = report("booking-flow", bytes);
  const chunks = [...bytes.keys()].filter((u) => /\/pkg\/split_/.test(u)).map((u) => u.match(/split_(\w+?)_pages/)![1]);
  expect(chunks, "the booking flow loads its own chunk, not mediation's or the staff's").toEqual(["resident"]);
  expect(total(bytes), `booking flow, first visit:\n${list}`).toBeLessThanOrEqual(FLOW_LIMIT);
});
