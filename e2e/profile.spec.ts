import AxeBuilder from "@axe-core/playwright";
import { type Browser, type Page, request as playwrightRequest } from "@playwright/test";
import {
  alerts,
  type DemoApp,
  expect,
  expectSignedInAtApp,
  hostedUrl,
  logInThroughApp,
  PORTAL_URL,
  type RealmInfo,
  sessionCookie,
  submitLogin,
  test,
  waitForForm,
} from "./fixtures";

// This browser says it is Chrome on Linux; the second one is Firefox on Linux.
const CHROME_LINUX =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
const FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
test.use({ userAgent: CHROME_LINUX });

const profileUrl = (realm: RealmInfo, demo?: DemoApp) =>
  hostedUrl(realm.slug, "profile", demo ? { client_id: demo.app.id, redirect_uri: demo.callback } : {});

/** A second browser (its own cookies) logged in as the same user, claiming to be Firefox on Linux. */
async function secondBrowser(browser: Browser, demo: DemoApp, user: { email: string; password: string }) {
  const context = await browser.newContext({ userAgent: FIREFOX_LINUX });
  const page = await context.newPage();
  await logInThroughApp(page, demo, user);
  return { context, page };
}

function sessionsRegion(page: Page) {
  return page.getByRole("region", { name: "Where you are signed in" });
}

async function expectLoginForm(page: Page, demo: DemoApp) {
  await page.goto(demo.loginUrl());
  await expect(page.getByLabel("Email")).toBeVisible();
  expect(page.url().startsWith(demo.callback)).toBe(false);
}

test("two browsers: the profile lists both sessions, and ending the other one logs that browser out", async ({
  page,
  browser,
  realm,
  demo,
  user,
}) => {
  await logInThroughApp(page, demo, user);
  const other = await secondBrowser(browser, demo, user);

  await page.goto(profileUrl(realm, demo));
  await expect(page.getByRole("heading", { level: 1, name: `Your ${realm.name} account` })).toBeVisible();
  await expect(page.getByText(`You are signed in as ${user.email}.`)).toBeVisible();
  const region = sessionsRegion(page);
  await expect(region.getByRole("listitem")).toHaveCount(2);
  const mine = region.getByRole("listitem").filter({ hasText: "This device" });
  await expect(mine.getByRole("heading", { level: 3 })).toHaveText("Chrome on Linux This device");
  await expect(mine.getByText("IP address")).toBeVisible();
  await expect(mine.locator("time")).toHaveCount(2);
  await expect(mine.locator("time").first()).toHaveText(/ UTC$/);
  await expect(
    region.getByRole("button", { name: "Log out of this device (Chrome on Linux)" }),
  ).toBeVisible();
  await expect(page.getByRole("link", { name: `Back to ${demo.app.name}` })).toHaveAttribute(
    "href",
    demo.callback,
  );
  await expect(page).toHaveTitle(`Your account · ${realm.name}`);

  await waitForForm(page);
  await region.getByRole("button", { name: "End session on Firefox on Linux" }).click();
  await expect(region.getByRole("listitem")).toHaveCount(1);
  await expect(region.getByRole("button", { name: /^End session on/ })).toHaveCount(0);
  await expect(region.getByRole("button", { name: "End all other sessions" })).toHaveCount(0);

  // The other browser is logged out: no seamless login, the form is shown.
  await expectLoginForm(other.page, demo);
  await other.context.close();
  // This one is not.
  await page.goto(demo.loginUrl());
  await expect(page).toHaveURL((u) => u.href.startsWith(`${demo.callback}?token=`));
});

test("changing the password ends the other sessions, keeps this one, and the old password stops working", async ({
  page,
  browser,
  realm,
  demo,
  user,
}) => {
  await logInThroughApp(page, demo, user);
  const other = await secondBrowser(browser, demo, user);
  await page.goto(profileUrl(realm));
  await expect(sessionsRegion(page).getByRole("listitem")).toHaveCount(2);
  const form = page.getByRole("region", { name: "Change password" });

  // A wrong current password is a field error; nothing changes.
  await waitForForm(page);
  await form.getByLabel("Current password").fill("not-my-password");
  await form.getByLabel("New password").fill("a-new-password-for-ada");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByLabel("Current password")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByText("Your current password is incorrect.")).toBeVisible();
  await expect(sessionsRegion(page).getByRole("listitem")).toHaveCount(2);

  const newPassword = "a-new-password-for-ada";
  await form.getByLabel("Current password").fill(user.password);
  await form.getByLabel("New password").fill(newPassword);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByRole("status")).toHaveText(
    "Your password has been changed. Your other sessions have been ended.",
  );
  await expect(sessionsRegion(page).getByRole("listitem")).toHaveCount(1);
  await expect(form.getByLabel("New password")).toHaveValue("");

  await expectLoginForm(other.page, demo);
  // The old password no longer works; the new one does.
  await submitLogin(other.page, user.email, user.password);
  await expect(alerts(other.page)).toHaveText("Incorrect email or password.");
  await submitLogin(other.page, user.email, newPassword);
  await expectSignedInAtApp(other.page, demo, user.email);
  await other.context.close();

  // This browser's session stayed: seamless login still works.
  await page.goto(demo.loginUrl());
  await expect(page).toHaveURL((u) => u.href.startsWith(`${demo.callback}?token=`));
});

test("visiting the profile logged out goes through login and comes back, without a token", async ({
  page,
  realm,
  demo,
  user,
}) => {
  // Without an app to go back to, the login page speaks of the realm account.
  await page.goto(profileUrl(realm));
  await expect(page).toHaveURL((u) => u.pathname === `/${realm.slug}/login`);
  expect(new URL(page.url()).searchParams.get("return_to")).toBe("profile");
  await expect(
    page.getByRole("heading", { level: 1, name: `Log in to your ${realm.name} account` }),
  ).toBeVisible();

  // With one, it names the app, as any login does.
  await page.goto(profileUrl(realm, demo));
  await expect(page).toHaveURL((u) => u.pathname === `/${realm.slug}/login`);
  await expect(page.getByRole("heading", { level: 1, name: `Log in to ${demo.app.name}` })).toBeVisible();

  await submitLogin(page, user.email, user.password);
  await expect(page.getByRole("heading", { level: 1, name: `Your ${realm.name} account` })).toBeVisible();
  const url = new URL(page.url());
  expect(url.origin + url.pathname).toBe(`${PORTAL_URL}/${realm.slug}/profile`);
  expect(url.searchParams.has("token")).toBe(false);
  expect(url.searchParams.get("redirect_uri")).toBe(demo.callback);
  await expect(page.getByRole("link", { name: `Back to ${demo.app.name}` })).toBeVisible();

  // Once signed in, the login link for the profile leads straight back to it.
  await page.goto(hostedUrl(realm.slug, "login", { return_to: "profile" }));
  await expect(page).toHaveURL(`${PORTAL_URL}/${realm.slug}/profile`);
});

test("the profile never follows or links to an address the app did not register", async ({
  page,
  realm,
  demo,
  user,
}) => {
  // return_to is a fixed marker, not a URL.
  await page.goto(hostedUrl(realm.slug, "login", { return_to: "https://evil.example/" }));
  await expect(page.getByRole("heading", { name: "Something went wrong" })).toBeVisible();

  await logInThroughApp(page, demo, user);
  await page.goto(
    hostedUrl(realm.slug, "profile", { client_id: demo.app.id, redirect_uri: "https://evil.example/" }),
  );
  await expect(page.getByRole("heading", { level: 1, name: `Your ${realm.name} account` })).toBeVisible();
  await expect(page.getByRole("link", { name: /^Back to/ })).toHaveCount(0);
  await expect(page.locator('a[href*="evil.example"]')).toHaveCount(0);
});

test("ending this device's own session logs out and asks to log in again for the profile", async ({
  page,
  context,
  realm,
  demo,
  user,
}) => {
  await logInThroughApp(page, demo, user);
  await page.goto(profileUrl(realm, demo));
  await waitForForm(page);
  await page.getByRole("button", { name: "Log out of this device (Chrome on Linux)" }).click();
  await expect(page).toHaveURL((u) => u.pathname === `/${realm.slug}/login`);
  expect(new URL(page.url()).searchParams.get("return_to")).toBe("profile");
  expect(await sessionCookie(context, realm)).toBeUndefined();
  await expectLoginForm(page, demo);
});

test("with refuse_new and a cap of 1, a second browser's login is refused with a clear message", async ({
  page,
  browser,
  api,
  realm,
  demo,
  user,
}) => {
  await api.updateRealmSettings(realm.slug, { max_sessions_per_user: 1, session_limit_policy: "refuse_new" });
  await logInThroughApp(page, demo, user);

  const context = await browser.newContext({ userAgent: FIREFOX_LINUX });
  const other = await context.newPage();
  await other.goto(demo.loginUrl());
  await submitLogin(other, user.email, user.password);
  await expect(alerts(other)).toHaveText(
    "You are signed in on too many devices. Log out on another device, then try again.",
  );
  expect(new URL(other.url()).pathname).toBe(`/${realm.slug}/login`);
  expect(await sessionCookie(context, realm)).toBeUndefined();
  await context.close();
});

test("with evict_oldest and a cap of 2, a third login ends the least recently used session", async ({
  page,
  browser,
  api,
  realm,
  demo,
  user,
}) => {
  await api.updateRealmSettings(realm.slug, {
    max_sessions_per_user: 2,
    session_limit_policy: "evict_oldest",
  });
  await logInThroughApp(page, demo, user);
  const second = await secondBrowser(browser, demo, user);
  const third = await secondBrowser(browser, demo, user);

  await expectLoginForm(page, demo);
  await second.page.goto(demo.loginUrl());
  await expect(second.page).toHaveURL((u) => u.href.startsWith(`${demo.callback}?token=`));
  await third.page.goto(profileUrl(realm));
  await expect(sessionsRegion(third.page).getByRole("listitem")).toHaveCount(2);
  await second.context.close();
  await third.context.close();
});

test("the end-session form is CSRF-checked: without the browser's CSRF cookie it ends nothing", async ({
  page,
  context,
  browser,
  realm,
  demo,
  user,
}) => {
  await logInThroughApp(page, demo, user);
  const other = await secondBrowser(browser, demo, user);
  await page.goto(profileUrl(realm));
  const row = sessionsRegion(page).getByRole("listitem").filter({ hasNotText: "This device" });
  const fields = Object.fromEntries(
    await row
      .locator("form input")
      .evaluateAll((inputs) =>
        inputs.map((i) => [(i as HTMLInputElement).name, (i as HTMLInputElement).value]),
      ),
  ) as Record<string, string>;
  expect(fields.end).toMatch(/^ses_/);
  const cookies = await context.cookies(PORTAL_URL);
  const session = cookies.find((c) => c.name === `gh_session_${realm.id}`)?.value;
  const csrf = cookies.find((c) => c.name === "gh_csrf")?.value;

  // Posted from outside the browser with an Origin that passes Next's own check, so that what is
  // tested is the CSRF token: the session cookie alone (or with another CSRF cookie) is not enough.
  const post = async (cookie: string) => {
    const client = await playwrightRequest.newContext({ baseURL: PORTAL_URL });
    try {
      const response = await client.post(profileUrl(realm), {
        multipart: fields,
        headers: { origin: PORTAL_URL, cookie },
        maxRedirects: 0,
      });
      return { status: response.status(), text: await response.text() };
    } finally {
      await client.dispose();
    }
  };
  const forged = await post(`gh_session_${realm.id}=${session}; gh_csrf=${"x".repeat(32)}`);
  expect(forged.text).toContain("This form has expired. Reload the page and try again.");
  const bare = await post(`gh_session_${realm.id}=${session}`);
  expect(bare.status).not.toBe(303);
  await other.page.goto(demo.loginUrl());
  await expect(other.page).toHaveURL((u) => u.href.startsWith(`${demo.callback}?token=`));

  // Control: with the matching cookie the same post does end the other session.
  const control = await post(`gh_session_${realm.id}=${session}; gh_csrf=${csrf}`);
  expect(control.status).toBe(303);
  await expectLoginForm(other.page, demo);
  await other.context.close();
});

test("the profile page has no serious accessibility problems", async ({
  page,
  browser,
  realm,
  demo,
  user,
}) => {
  await logInThroughApp(page, demo, user);
  const other = await secondBrowser(browser, demo, user);
  await page.goto(profileUrl(realm, demo));
  await waitForForm(page);
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"])
    .analyze();
  expect(results.passes.length).toBeGreaterThan(0);
  expect(
    results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id),
  ).toEqual([]);
  await other.context.close();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("ending the other session and changing the password work as plain forms", async ({
    page,
    browser,
    realm,
    demo,
    user,
  }) => {
    await logInThroughApp(page, demo, user);
    const other = await secondBrowser(browser, demo, user);
    await page.goto(profileUrl(realm));
    await sessionsRegion(page).getByRole("button", { name: "End session on Firefox on Linux" }).click();
    await expect(sessionsRegion(page).getByRole("listitem")).toHaveCount(1);
    await expectLoginForm(other.page, demo);

    await logInThroughApp(other.page, demo, user);
    await page.goto(profileUrl(realm));
    await expect(sessionsRegion(page).getByRole("listitem")).toHaveCount(2);
    const form = page.getByRole("region", { name: "Change password" });
    await form.getByLabel("Current password").fill(user.password);
    await form.getByLabel("New password").fill("another-fine-password");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByRole("status")).toHaveText(
      "Your password has been changed. Your other sessions have been ended.",
    );
    await expect(sessionsRegion(page).getByRole("listitem")).toHaveCount(1);
    await expectLoginForm(other.page, demo);
    await other.context.close();
  });
});
