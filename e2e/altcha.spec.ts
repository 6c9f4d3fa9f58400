import type { Page } from "@playwright/test";
import {
  alerts,
  type DemoApp,
  expect,
  expectSignedInAtApp,
  PORTAL_URL,
  recordRequests,
  test,
  unique,
  waitForForm,
} from "./fixtures";

// The anti-robot check (ALTCHA proof of work) on signup, realm setting `signup_altcha`.

/**
 * Records what the browser reports (CSP violations, console errors, uncaught exceptions) and the
 * widget's state changes with their times, from the page's start. Violations are read from the
 * console, where Chromium reports them: a `securitypolicyviolation` listener would also catch the
 * `eval` that Playwright's own `page.evaluate` attempts under this CSP.
 */
async function watchPage(page: Page) {
  const problems: string[] = [];
  // Only the portal's pages count, not the demo app the browser ends on.
  const onPortal = () => page.url().startsWith(`${PORTAL_URL}/`);
  page.on("console", (message) => {
    if (!onPortal()) return;
    if (message.type() === "error" || /Content Security Policy|Refused to/i.test(message.text()))
      problems.push(message.text());
  });
  page.on("pageerror", (error) => {
    if (onPortal()) problems.push(error.message);
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __altcha: Array<{ state: string; at: number }> };
    w.__altcha = [];
    document.addEventListener(
      "statechange",
      (e) => w.__altcha.push({ state: (e as CustomEvent).detail.state, at: performance.now() }),
      true,
    );
  });
  return {
    problems: () => [...problems],
    /** Milliseconds from the first "verifying" to the first "verified". */
    async solveMs() {
      const log = await page.evaluate(
        () => (window as unknown as { __altcha: Array<{ state: string; at: number }> }).__altcha,
      );
      const start = log.find((e) => e.state === "verifying")?.at;
      const end = log.find((e) => e.state === "verified")?.at;
      return start !== undefined && end !== undefined ? Math.round(end - start) : null;
    },
  };
}

/**
 * Fills the form like a person. With the check on, the widget showing up proves the page is
 * hydrated (it loads from an effect); that wait, unlike `waitForForm`, needs no polling script that
 * the page's CSP would report as an `eval`.
 */
async function fillSignup(page: Page, email: string, check = true) {
  if (check) await expect(checkbox(page)).toBeVisible();
  else await waitForForm(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a perfectly fine password");
}

// Solving takes a second or two here, but many more on a loaded machine: wait generously.
const SOLVE_TIMEOUT = 60_000;
const payloadField = (page: Page) => page.locator('form input[name="altcha"]');
const checkbox = (page: Page) => page.getByRole("group", { name: "Anti-robot check" }).getByRole("checkbox");
const checkPassed = (page: Page) =>
  expect(page.getByText("Check passed")).toBeVisible({ timeout: SOLVE_TIMEOUT });

/** After "Sign up" was pressed: the form goes out once the check has passed. */
async function expectSignedInAfterCheck(page: Page, demo: DemoApp, email: string) {
  await page.waitForURL((url) => url.href.startsWith(`${demo.callback}?`), {
    waitUntil: "commit",
    timeout: SOLVE_TIMEOUT,
  });
  return expectSignedInAtApp(page, demo, email);
}

// Most of these solve real proof-of-work challenges in the browser.
test.describe.configure({ timeout: 90_000 });

test("with ALTCHA on, the browser solves the check while the person types and the signup goes through", async ({
  page,
  api,
  realm,
  demo,
}) => {
  await api.updateRealmSettings(realm.slug, { signup_altcha: true });
  const watch = await watchPage(page);
  const requests = recordRequests(page.context());
  const email = `${unique("altcha-")}@example.com`;

  await page.goto(demo.signupUrl());
  const check = page.getByRole("group", { name: "Anti-robot check" });
  await expect(check.getByRole("checkbox", { name: "I'm not a robot" })).toBeVisible();
  // The no-JavaScript notice stays inside <noscript>: not shown when scripts run.
  await expect(page.getByText(/needs JavaScript/)).toBeHidden();

  await fillSignup(page, email);
  await checkPassed(page);
  const solveMs = await watch.solveMs();
  test.info().annotations.push({ type: "altcha solve (ms)", description: String(solveMs) });
  console.info(`[altcha] solved in ${solveMs} ms (Chromium, default workers)`);
  await expect(payloadField(page)).toHaveValue(/^[A-Za-z0-9+/=]{200,}$/);
  // Widget, stylesheet and worker all ran under the page's CSP, without errors.
  expect(watch.problems()).toEqual([]);

  await page.getByRole("button", { name: "Sign up" }).click();
  await expectSignedInAtApp(page, demo, email);

  expect(requests.filter((url) => url === `${PORTAL_URL}/${realm.slug}/connect/altcha`)).toHaveLength(1);
  expect(watch.problems()).toEqual([]);
  expect((await api.listUsers(realm.slug)).map((u) => u.email)).toEqual([email]);
});

test("with ALTCHA on, pressing the button before the check has run waits for it, then submits", async ({
  page,
  api,
  realm,
  demo,
}) => {
  await api.updateRealmSettings(realm.slug, { signup_altcha: true });
  const email = `${unique("altcha-fast-")}@example.com`;
  await page.goto(demo.signupUrl());
  await fillSignup(page, email);
  await page.getByRole("button", { name: "Sign up" }).click();
  await expectSignedInAfterCheck(page, demo, email);
});

test("with ALTCHA on, a tampered payload is refused, nothing is created, and a fresh check then passes", async ({
  page,
  api,
  realm,
  demo,
}) => {
  await api.updateRealmSettings(realm.slug, { signup_altcha: true });
  const email = `${unique("altcha-tamper-")}@example.com`;
  await page.goto(demo.signupUrl());
  await fillSignup(page, email);
  await checkPassed(page);

  // Claim a different solution than the one computed.
  await payloadField(page).evaluate((input: HTMLInputElement) => {
    const payload = JSON.parse(atob(input.value));
    payload.solution.derivedKey = "00".repeat(payload.solution.derivedKey.length / 2);
    input.value = btoa(JSON.stringify(payload));
  });
  await page.getByRole("button", { name: "Sign up" }).click();

  await expect(alerts(page)).toHaveText("The anti-robot check did not pass. Try again.");
  await expect(page.getByRole("group", { name: "Anti-robot check" })).toHaveAccessibleDescription(
    "The anti-robot check did not pass. Try again.",
  );
  expect(await api.listUsers(realm.slug)).toEqual([]);

  // The widget started over: the next press solves a new challenge and gets through.
  await page.getByRole("button", { name: "Sign up" }).click();
  await expectSignedInAfterCheck(page, demo, email);
});

test("with ALTCHA on, a payload that was already used is refused and nothing is created", async ({
  browser,
  page,
  api,
  realm,
  demo,
}) => {
  await api.updateRealmSettings(realm.slug, { signup_altcha: true });
  const first = `${unique("altcha-first-")}@example.com`;
  await page.goto(demo.signupUrl());
  await fillSignup(page, first);
  await checkPassed(page);
  const spent = await payloadField(page).inputValue();
  await page.getByRole("button", { name: "Sign up" }).click();
  await expectSignedInAtApp(page, demo, first);

  // Another browser solves its own check, but posts the spent payload instead.
  const other = await browser.newPage();
  const second = `${unique("altcha-replay-")}@example.com`;
  await other.goto(demo.signupUrl());
  await fillSignup(other, second);
  await checkPassed(other);
  await payloadField(other).evaluate((input: HTMLInputElement, value) => {
    input.value = value;
  }, spent);
  await other.getByRole("button", { name: "Sign up" }).click();
  await expect(alerts(other)).toHaveText("The anti-robot check did not pass. Try again.");
  expect((await api.listUsers(realm.slug)).map((u) => u.email)).toEqual([first]);
  await other.close();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("with ALTCHA on, the page says the check needs JavaScript, and a form sent anyway is refused", async ({
    page,
    api,
    realm,
    demo,
  }) => {
    await api.updateRealmSettings(realm.slug, { signup_altcha: true });
    await page.goto(demo.signupUrl());
    await expect(page.getByText(/Signing up here needs JavaScript/)).toBeVisible();

    await fillSignup(page, `${unique("altcha-nojs-")}@example.com`, false);
    await page.getByRole("button", { name: "Sign up" }).click();
    await expect(alerts(page)).toHaveText("The anti-robot check did not pass. Try again.");
    expect(await api.listUsers(realm.slug)).toEqual([]);
  });
});

test("with ALTCHA off (the default), nothing of it loads and the signup needs no check", async ({
  page,
  api,
  realm,
  demo,
}) => {
  const requests = recordRequests(page.context());
  const email = `${unique("altcha-off-")}@example.com`;
  await page.goto(demo.signupUrl());
  await fillSignup(page, email, false);
  await expect(page.locator("altcha-widget")).toHaveCount(0);
  await expect(page.getByRole("group", { name: "Anti-robot check" })).toHaveCount(0);
  expect(await page.evaluate(() => customElements.get("altcha-widget") === undefined)).toBe(true);
  // No stylesheet of the widget (its rules use `.altcha…` classes) and no worker or challenge.
  const widgetCss = await page.evaluate(() =>
    [...document.styleSheets].some((sheet) => [...sheet.cssRules].some((r) => r.cssText.includes(".altcha"))),
  );
  expect(widgetCss).toBe(false);
  expect(requests.filter((url) => /altcha|turbopack-worker/.test(url))).toEqual([]);

  await page.getByRole("button", { name: "Sign up" }).click();
  await expectSignedInAtApp(page, demo, email);
  expect((await api.listUsers(realm.slug)).map((u) => u.email)).toEqual([email]);
});

test("the challenge endpoint answers JSON that is never cached, and 404 when the realm has ALTCHA off", async ({
  request,
  api,
  realm,
}) => {
  const url = `/${realm.slug}/connect/altcha`;
  expect((await request.get(url)).status()).toBe(404);
  expect((await request.get(`/${unique("no-such-")}/connect/altcha`)).status()).toBe(404);

  await api.updateRealmSettings(realm.slug, { signup_altcha: true });
  const response = await request.get(url);
  expect(response.status()).toBe(200);
  expect(response.headers()["cache-control"]).toBe("no-store");
  expect(response.headers()["set-cookie"]).toBeUndefined();
  const challenge = await response.json();
  expect(challenge).toMatchObject({
    parameters: { algorithm: "PBKDF2/SHA-256", data: { realm: realm.id } },
    signature: expect.stringMatching(/^[0-9a-f]{64}$/),
  });
  const again = await (await request.get(url)).json();
  expect(again.parameters.nonce).not.toBe(challenge.parameters.nonce);
});
