import { chromium } from "@playwright/test";
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox","--disable-gpu"] });
const p = await b.newPage();
p.on("console", m => console.log("console:", m.type(), m.text().slice(0, 600)));
p.on("pageerror", e => console.log("pageerror:", e.message.slice(0, 600)));
await p.goto("http://127.0.0.1:3100/staff/login"); await p.fill("#f-username", "district"); await p.fill("#f-password", process.argv[2]); await p.click("button[type=submit]"); await p.waitForTimeout(3000); await p.goto("http://127.0.0.1:3100/staff/stats?scope=district");
await p.waitForTimeout(6000);
console.log("hydrated:", await p.evaluate(() => window.__portalHydrated));
await b.close();
