import { defineConfig, devices } from "@playwright/test";

// The portal under test: the release build, on its own port and a throw-away database
// seeded with the demo district. `make test` builds it first; PORTAL_E2E_URL points the
// tests at an already running portal instead.
const port = Number(process.env.PORTAL_E2E_PORT ?? 3100);
const baseURL = process.env.PORTAL_E2E_URL ?? `http://127.0.0.1:${port}`;
const dbDir = process.env.PORTAL_E2E_DB_DIR ?? "../target/e2e";

// Debian's Chromium: Playwright's own browser download cannot run on these machines.
const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    // a synthetic camera, for the QR check-in test
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
  ],
};

// Elderly-friendly mode, as remembered after a tap on its switch.
const elderly = {
  cookies: [
    { name: "mode", value: "elder", domain: new URL(baseURL).hostname, path: "/", expires: -1, httpOnly: false, secure: false, sameSite: "Lax" as const },
  ],
  origins: [],
};

export default defineConfig({
  testDir: "./tests",
  // A guard against hangs, not a speed target (speed is measured in bench/). Whole resident
  // journeys take 20–30 s without JavaScript on a 2-core VM whose speed varies twofold from
  // run to run: Playwright's default 30 s left the longest (27.5 s) almost no margin.
  timeout: 90_000,
  expect: { timeout: 5_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    trace: "off",
    // each test sees the network; tests/everyone/pwa.spec.ts allows the service worker
    serviceWorkers: "block",
  },
  // Chinese and default mode run every suite; tests/everyone (every page with axe-core, the
  // keyboard-only runs, the switches, the offline app) also runs in English (chosen by the
  // browser's language) and in elderly mode (remembered in its cookie), with and without
  // JavaScript.
  projects: [
    {
      name: "phone-js",
      use: { ...devices["Pixel 7"], launchOptions },
      metadata: { lang: "zh", elder: false },
    },
    {
      // Server-rendered pages must work with JavaScript switched off.
      name: "phone-nojs",
      use: { ...devices["Pixel 7"], javaScriptEnabled: false, launchOptions },
      metadata: { lang: "zh", elder: false },
    },
    {
      name: "en",
      testMatch: /everyone\/.*\.spec\.ts/,
      use: { ...devices["Pixel 7"], locale: "en-GB", launchOptions },
      metadata: { lang: "en", elder: false },
    },
    {
      name: "zh-elder",
      testMatch: /everyone\/.*\.spec\.ts/,
      use: { ...devices["Pixel 7"], storageState: elderly, launchOptions },
      metadata: { lang: "zh", elder: true },
    },
    {
      name: "en-elder",
      testMatch: /everyone\/.*\.spec\.ts/,
      use: { ...devices["Pixel 7"], locale: "en-GB", storageState: elderly, launchOptions },
      metadata: { lang: "en", elder: true },
    },
    {
      name: "en-elder-nojs",
      testMatch: /everyone\/.*\.spec\.ts/,
      use: { ...devices["Pixel 7"], locale: "en-GB", storageState: elderly, javaScriptEnabled: false, launchOptions },
      metadata: { lang: "en", elder: true },
    },
  ],
  webServer: process.env.PORTAL_E2E_URL
    ? undefined
    : {
        command: `rm -rf ${dbDir} && mkdir -p ${dbDir} && ../target/release/server`,
        cwd: ".",
        url: `${baseURL}/healthz`,
        timeout: 60_000,
        reuseExistingServer: false,
        stdout: "ignore",
        stderr: "pipe",
        env: {
          DATABASE_URL: `sqlite://${dbDir}/portal.db`,
          LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
          LEPTOS_SITE_ROOT: "../target/site",
          PORTAL_DEMO: "1",
          // a fixed working day (Monday), so today's bookings, check-ins and calls are the same
          // whenever the tests run; the clock runs on from there
          PORTAL_FAKE_NOW: "2026-12-07T08:30:00+08:00",
          // residents prove their phone by code in tests/verify.spec.ts, on a portal of its
          // own; the other specs book through the API without codes
          PORTAL_PHONE_VERIFY: "off",
          RUST_LOG: "warn",
        },
      },
});
