import { expect, logInThroughApp, PORTAL_URL, sessionCookie, test } from "./fixtures";

test("logging out ends the session: back at the app, no more seamless login, the old cookie is worthless", async ({
  page,
  context,
  browser,
  realm,
  demo,
  user,
}) => {
  await logInThroughApp(page, demo, user);
  const cookie = await sessionCookie(context, realm);
  expect(cookie?.value).toBeTruthy();
  expect(cookie?.httpOnly).toBe(true);
  if (!cookie) return;

  // Control: right now the cookie alone is enough for seamless SSO in a brand-new browser.
  const before = await browser.newContext();
  await before.addCookies([cookie]);
  const beforePage = await before.newPage();
  await beforePage.goto(demo.loginUrl());
  await expect(beforePage).toHaveURL((u) => u.href.startsWith(`${demo.callback}?token=`));
  await before.close();

  // A plain logout link cannot prove it comes from the app: the user confirms (CSRF protection).
  await page.goto(demo.logoutUrl());
  await expect(page.getByRole("heading", { name: `Log out of ${realm.name}?` })).toBeVisible();
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(demo.callback);
  expect(await sessionCookie(context, realm)).toBeUndefined();

  // No seamless login any more: the form is shown.
  await page.goto(demo.loginUrl());
  await expect(page.getByLabel("Email")).toBeVisible();
  expect(page.url().startsWith(`${PORTAL_URL}/${realm.slug}/login`)).toBe(true);

  // The old cookie value, replayed by hand in a fresh browser, opens nothing either.
  const replay = await browser.newContext();
  await replay.addCookies([cookie]);
  const replayPage = await replay.newPage();
  await replayPage.goto(demo.loginUrl());
  await expect(replayPage.getByLabel("Email")).toBeVisible();
  expect(replayPage.url().startsWith(`${PORTAL_URL}/${realm.slug}/login`)).toBe(true);
  await replay.close();
});

test("the demo app's Log out link signs out and returns to the app's home page", async ({
  page,
  demo,
  user,
}) => {
  await logInThroughApp(page, demo, user);
  await page.getByRole("link", { name: "Log out" }).click();
  await expect(page).toHaveURL(`${demo.origin}/`);
  await expect(page.getByRole("heading", { name: "Demo App" })).toBeVisible();

  // Logging in again from the app needs the password.
  await page.getByRole("link", { name: "Log in with Gatehouse" }).click();
  await expect(page.getByLabel("Password")).toBeVisible();
});

test("logout with a return address that is not registered goes to the realm's login page instead", async ({
  page,
  realm,
  demo,
  user,
}) => {
  await logInThroughApp(page, demo, user);
  await page.goto(demo.logoutUrl({ redirect_uri: "https://evil.example/" }));
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(`${PORTAL_URL}/${realm.slug}/login`);
  // Signed out all the same.
  await page.goto(demo.loginUrl());
  await expect(page.getByLabel("Email")).toBeVisible();
});

test("a logout link from another site ends nothing by itself, and a forged confirmation is refused", async ({
  page,
  context,
  realm,
  demo,
  user,
}) => {
  await logInThroughApp(page, demo, user);
  const before = await sessionCookie(context, realm);

  // Another site links to the logout URL: the user only sees the question.
  await page.goto(demo.logoutUrl());
  await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
  await expect(page.getByText(`You are signed in as ${user.email}.`)).toBeVisible();

  // A cross-site form post without the CSRF token does not end the session either.
  const forged = await page.request.post(`${PORTAL_URL}/${realm.slug}/logout`, {
    form: {
      client_id: demo.app.id,
      redirect_uri: demo.callback,
      csrf_token: "forged-token-forged-token-forged",
    },
    maxRedirects: 0,
  });
  expect(forged.status()).toBe(303);
  expect(forged.headers().location).toContain("/logout/confirm");
  // An oversized body is refused before it is read, and ends nothing either.
  const huge = await page.request.post(`${PORTAL_URL}/${realm.slug}/logout`, {
    form: { redirect_uri: "x".repeat(20_000) },
    maxRedirects: 0,
  });
  expect(huge.status()).toBe(413);

  // "Stay signed in" leaves the session alive: seamless login still works.
  await page.getByRole("link", { name: "Stay signed in" }).click();
  await page.goto(demo.loginUrl());
  await expect(page).toHaveURL((u) => u.href.startsWith(`${demo.callback}?token=`));
  expect((await sessionCookie(context, realm))?.value).toBe(before?.value);
});
