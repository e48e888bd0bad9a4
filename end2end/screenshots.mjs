// Phone-size screenshots of the portal's pages, for looking at what we build.
// Usage: node screenshots.mjs [base-url] [out-dir]   (the portal must be running)
import { chromium, devices } from "@playwright/test";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const out = process.argv[3] ?? "/tmp/portal-shots";
const pages = [
  ["home", "/"],
  ["search", "/?q=平顺"],
  ["offices", "/offices"],
  ["place-office", "/places/3"],
  ["place-workroom", "/places/101"],
  ["not-found", "/places/999999"],
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
});
for (const js of [true, false]) {
  const context = await browser.newContext({ ...devices["Pixel 7"], javaScriptEnabled: js, locale: "zh-CN" });
  const page = await context.newPage();
  for (const [name, path] of pages) {
    await page.goto(base + path, { waitUntil: "networkidle" });
    const file = `${out}/${name}${js ? "" : "-nojs"}.png`;
    await page.screenshot({ path: file, fullPage: true });
    console.log(file);
  }
  await context.close();
}
await browser.close();
