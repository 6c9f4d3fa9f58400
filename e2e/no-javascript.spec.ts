import {
  alerts,
  expect,
  expectSignedInAtApp,
  hostedUrl,
  logInThroughApp,
  submitLogin,
  submitSignup,
  test,
  tokenFrom,
  unique,
  verifyLoginToken,
} from "./fixtures";
import { awayFromStepEdge, setUpTwoFactor, twoFactorRegion } from "./two-factor";

// The hosted pages are plain HTML forms first: everything here runs with JavaScript switched off.
test.use({ javaScriptEnabled: false });
// Regression: under `Referrer-Policy: no-referrer` Chromium sends `Origin: null` with a native form
// POST and Next.js refuses the server action (HTTP 500); the portal now sends `same-origin`.

test("without JavaScript: sign up, then log in again, each time landing on the app with a token", async ({
  page,
  context,
  realm,
  demo,
}) => {
  const email = `${unique("nojs-")}@example.com`;
  const password = "a perfectly fine password";

  await page.goto(demo.signupUrl({ state: "no-js" }));
  await submitSignup(page, { email, password });
  const afterSignup = await expectSignedInAtApp(page, demo, email);
  expect(afterSignup.searchParams.get("signup")).toBe("true");
  await expect(page.getByTestId("state")).toHaveText("no-js");
  const first = await verifyLoginToken(tokenFrom(afterSignup), realm, demo.app);

  // A fresh browser state, then log in with the new account.
  await context.clearCookies();
  await page.goto(demo.loginUrl({ state: "again" }));
  await submitLogin(page, email, password);
  const afterLogin = await expectSignedInAtApp(page, demo, email);
  expect(afterLogin.searchParams.has("signup")).toBe(false);
  const second = await verifyLoginToken(tokenFrom(afterLogin), realm, demo.app);
  expect(second.payload.sub).toBe(first.payload.sub);
  expect(second.payload.sid).not.toBe(first.payload.sid);
});

test("without JavaScript: a wrong password shows the error on the login page", async ({
  page,
  realm,
  demo,
  user,
}) => {
  await page.goto(demo.loginUrl());
  await submitLogin(page, user.email, "definitely-wrong");
  await expect(alerts(page)).toHaveText("Incorrect email or password.");
  expect(new URL(page.url()).pathname).toBe(`/${realm.slug}/login`);
  expect(page.url()).not.toContain(demo.origin);

  // The re-rendered form still carries the entry and still works.
  await submitLogin(page, user.email, user.password);
  await expectSignedInAtApp(page, demo, user.email);
});

test("without JavaScript: the server checks the fields and ties its errors to them", async ({
  page,
  demo,
}) => {
  await page.goto(demo.signupUrl());
  await submitSignup(page, { email: "not-an-email", password: "short" });
  const email = page.getByLabel("Email");
  const password = page.getByLabel("Password");
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(email).toHaveAccessibleDescription("Enter an email address like name@example.com.");
  await expect(password).toHaveAttribute("aria-invalid", "true");
  await expect(password).toHaveAccessibleDescription(/^Use at least 8 characters\./);
  // What the person typed comes back (except the password).
  await expect(email).toHaveValue("not-an-email");
  await expect(password).toHaveValue("");
});

test("without JavaScript: two-step verification on the profile is set up, its codes shown, and turned off", async ({
  page,
  realm,
  demo,
  user,
}) => {
  test.slow();
  await logInThroughApp(page, demo, user);
  await page.goto(hostedUrl(realm.slug, "profile"));
  const { app } = await setUpTwoFactor(page, realm, user);
  const region = twoFactorRegion(page);
  await expect(region.getByText("Recovery codes left: 10 of 10.")).toBeVisible();
  await awayFromStepEdge();
  await region.getByLabel("Code from your authenticator app").fill(app.code());
  await region.getByRole("button", { name: "Turn off two-step verification" }).click();
  await expect(
    page.getByText("Two-step verification is off. Your recovery codes no longer work."),
  ).toBeVisible();
  await expect(region.getByRole("button", { name: "Set up two-step verification" })).toBeVisible();
});
