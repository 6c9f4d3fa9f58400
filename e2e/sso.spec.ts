import {
  expect,
  expectSignedInAtApp,
  logInThroughApp,
  sessionCookie,
  submitLogin,
  test,
  tokenFrom,
  verifyLoginToken,
} from "./fixtures";

test("with a live session, the login page of a second app sends the user straight back with a fresh token", async ({
  page,
  context,
  realm,
  startDemo,
  user,
}) => {
  const first = await startDemo({ name: "First app" });
  const second = await startDemo({ name: "Second app" });
  const firstLogin = await verifyLoginToken(
    tokenFrom(await logInThroughApp(page, first, user)),
    realm,
    first.app,
  );

  // No form on the way: the portal answers the login URL with a redirect to the second app.
  const response = await page.goto(second.loginUrl({ state: "second" }));
  expect(response?.url()).toContain(second.callback);
  const landed = await expectSignedInAtApp(page, second, user.email);
  await expect(page.getByTestId("state")).toHaveText("second");
  const secondLogin = await verifyLoginToken(tokenFrom(landed), realm, second.app);
  expect(secondLogin.payload.aud).toBe(second.app.id);
  expect(secondLogin.payload.sub).toBe(firstLogin.payload.sub);
  expect(secondLogin.payload.sid).toBe(firstLogin.payload.sid);
  expect(secondLogin.payload.jti).not.toBe(firstLogin.payload.jti);
  expect(landed.searchParams.has("signup")).toBe(false);

  // The redirect itself is a 303 See Other to the app, with a token (DESIGN section 2).
  const raw = await page.request.get(first.loginUrl({ state: "raw" }), { maxRedirects: 0 });
  expect(raw.status()).toBe(303);
  expect(raw.headers().location).toMatch(new RegExp(`^${first.callback}\\?token=`));

  // And back to the first app: again straight through, again a new token.
  await page.goto(first.loginUrl());
  const again = await verifyLoginToken(
    tokenFrom(await expectSignedInAtApp(page, first, user.email)),
    realm,
    first.app,
  );
  expect(again.payload.sid).toBe(firstLogin.payload.sid);
  expect(again.payload.jti).not.toBe(firstLogin.payload.jti);
  expect(again.payload.jti).not.toBe(secondLogin.payload.jti);

  // The session is per realm: it is the realm's cookie that carries it.
  expect(await sessionCookie(context, realm)).toBeDefined();
});

test("prompt=login shows the form despite a live session, and logging in again starts a new session", async ({
  page,
  context,
  realm,
  demo,
  user,
}) => {
  const before = await verifyLoginToken(tokenFrom(await logInThroughApp(page, demo, user)), realm, demo.app);
  const oldCookie = await sessionCookie(context, realm);
  expect(oldCookie).toBeDefined();

  await page.goto(demo.loginUrl({ prompt: "login" }));
  await expect(page.getByLabel("Email")).toBeVisible();
  await expect(page.getByRole("button", { name: "Log in" })).toBeVisible();
  expect(page.url()).toContain(`/${realm.slug}/login`);

  await submitLogin(page, user.email, user.password);
  const after = await verifyLoginToken(
    tokenFrom(await expectSignedInAtApp(page, demo, user.email)),
    realm,
    demo.app,
  );
  // A new session id on every login (DESIGN section 6), and a new cookie value.
  expect(after.payload.sid).not.toBe(before.payload.sid);
  const newCookie = await sessionCookie(context, realm);
  expect(newCookie?.value).toBeTruthy();
  expect(newCookie?.value).not.toBe(oldCookie?.value);

  // The replaced session is over: its cookie no longer opens anything.
  await context.clearCookies();
  if (oldCookie) await context.addCookies([oldCookie]);
  await page.goto(demo.loginUrl());
  await expect(page.getByLabel("Email")).toBeVisible();
});
