import { expect, test } from "@playwright/test";
import { jsOff, signIn, waitForHydration } from "./helpers";

// Every page runs under a Content-Security-Policy that allows only the scripts the server
// marked with the response's nonce. The app must still hydrate everywhere, with nothing
// refused by the policy (a refused script or WebAssembly compile would show up here).
test("pages hydrate under the script policy and the browser refuses nothing", async ({ page }, testInfo) => {
  test.skip(jsOff(testInfo), "the policy is about scripts");
  const refused: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(`Refused to load: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  for (const path of ["/", "/offices", "/places/1", "/places/1/book/legal_consultation", "/mediation/new", "/bookings"]) {
    const response = await page.goto(path);
    expect(response!.headers()["content-security-policy"], path).toContain("'nonce-");
    await waitForHydration(page, testInfo);
  }
  await signIn(page, "o1-clerk");
  await waitForHydration(page, testInfo);
  expect(refused).toEqual([]);
});
