import {
  alerts,
  expect,
  expectSignedInAtApp,
  recordRequests,
  submitLogin,
  test,
  tokenFrom,
  verifyLoginToken,
} from "./fixtures";

const WRONG = "Incorrect email or password.";

test("logging in lands on the app with a token for that user, and no signup flag", async ({
  page,
  realm,
  demo,
  user,
}) => {
  await page.goto(demo.loginUrl({ state: "abc123" }));
  // Emails are case-insensitive (DESIGN section 1).
  await submitLogin(page, user.email.toUpperCase(), user.password);

  const landed = await expectSignedInAtApp(page, demo, user.email);
  await expect(page.getByTestId("state")).toHaveText("abc123");
  await expect(page.getByTestId("signup")).toHaveCount(0);
  expect(landed.searchParams.has("signup")).toBe(false);

  const { payload } = await verifyLoginToken(tokenFrom(landed), realm, demo.app);
  expect(payload.sub).toBe(user.id);
  expect(payload.email).toBe(user.email);
  expect(payload.name).toBe("Ada Lovelace");
});

test("a wrong password and an unknown email get the same inline error, and no redirect", async ({
  page,
  context,
  realm,
  demo,
  user,
}) => {
  const requests = recordRequests(context);
  const loginPath = `/${realm.slug}/login`;
  await page.goto(demo.loginUrl());

  const submitAndWait = async (email: string, password: string) => {
    const answered = page.waitForResponse(
      (r) => r.request().method() === "POST" && new URL(r.url()).pathname === loginPath,
    );
    await submitLogin(page, email, password);
    await answered;
  };

  await submitAndWait(user.email, "not-the-password");
  await expect(alerts(page)).toHaveText(WRONG);
  const wrongPassword = await alerts(page).innerHTML();
  expect(new URL(page.url()).pathname).toBe(loginPath);
  await expect(page.getByLabel("Email")).toHaveValue(user.email);

  await submitAndWait("nobody-here@example.com", "not-the-password");
  await expect(alerts(page)).toHaveText(WRONG);
  // Not just the same words: the same markup, so nothing tells the two cases apart.
  expect(await alerts(page).innerHTML()).toBe(wrongPassword);
  expect(new URL(page.url()).pathname).toBe(loginPath);

  expect(requests.filter((url) => url.startsWith(demo.origin))).toEqual([]);

  // The form still works after failures: the right password gets through.
  await submitLogin(page, user.email, user.password);
  await expectSignedInAtApp(page, demo, user.email);
});
