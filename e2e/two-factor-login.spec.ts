import {
  alerts,
  expect,
  expectSignedInAtApp,
  PORTAL_URL,
  submitLogin,
  test,
  tokenFrom,
  verifyLoginToken,
  waitForForm,
} from "./fixtures";
import { codeAt, enrolDuringLogin } from "./two-factor";

/** Logs out through the portal's confirmation page (the session ends server-side). */
async function logOut(page: import("@playwright/test").Page, logoutUrl: string, callback: string) {
  await page.goto(logoutUrl);
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(callback);
}

test("a realm that requires 2FA: enrol at the first login, then log in with the app, with a recovery code once, never with a replayed code", async ({
  page,
  api,
  realm,
  demo,
  user,
}) => {
  test.slow(); // five logins
  await api.updateRealmSettings(realm.slug, { mfa_policy: "required" });

  // First login: the password, then the enrolment step. No token until it is done.
  await page.goto(demo.loginUrl({ state: "first" }));
  await expect(page.getByLabel("Email")).toBeVisible();
  const enrolment = await enrolDuringLogin(page, realm.slug, user);
  await expect(page.getByRole("img", { name: /QR code/ })).toHaveCount(0);
  expect(page.url().startsWith(`${PORTAL_URL}/${realm.slug}/login/enrol-2fa`)).toBe(true);
  expect(new Set(enrolment.codes).size).toBe(10);
  for (const code of enrolment.codes) expect(code).toMatch(/^[0-9a-z]{4}(-[0-9a-z]{4}){3}$/);
  await page.getByRole("button", { name: "I have saved these codes, continue" }).click();
  const first = await expectSignedInAtApp(page, demo, user.email);
  expect(first.searchParams.get("state")).toBe("first");
  expect((await verifyLoginToken(tokenFrom(first), realm, demo.app)).payload.amr).toEqual(["pwd", "otp"]);
  await logOut(page, demo.logoutUrl(), demo.callback);

  // Second login: the code of the app (the next time step: the enrolment spent this one).
  await page.goto(demo.loginUrl());
  await submitLogin(page, user.email, user.password);
  await page.waitForURL(`**/${realm.slug}/login/verify`);
  await waitForForm(page);
  await expect(page.getByText(`enter the 6-digit code it shows for ${user.email}`)).toBeVisible();
  const code = page.getByLabel("Code from your authenticator app");
  await expect(code).toHaveAttribute("autocomplete", "one-time-code");
  await expect(code).toHaveAttribute("inputmode", "numeric");
  const totp = codeAt(enrolment.key, enrolment.step + 1);
  await code.fill(totp);
  await page.getByRole("button", { name: "Verify" }).click();
  const second = await expectSignedInAtApp(page, demo, user.email);
  expect((await verifyLoginToken(tokenFrom(second), realm, demo.app)).payload.amr).toEqual(["pwd", "otp"]);
  await logOut(page, demo.logoutUrl(), demo.callback);

  // Third login: a recovery code instead (a link, no script needed).
  const [recovery = ""] = enrolment.codes;
  await page.goto(demo.loginUrl());
  await submitLogin(page, user.email, user.password);
  await page.waitForURL(`**/${realm.slug}/login/verify`);
  await page.getByRole("link", { name: "Lost your phone? Use a recovery code instead" }).click();
  await waitForForm(page);
  await page.getByLabel("Recovery code").fill(recovery);
  await page.getByRole("button", { name: "Verify" }).click();
  const third = await expectSignedInAtApp(page, demo, user.email);
  expect((await verifyLoginToken(tokenFrom(third), realm, demo.app)).payload.amr).toEqual([
    "pwd",
    "otp",
    "rc",
  ]);
  await logOut(page, demo.logoutUrl(), demo.callback);

  // Fourth login: the same recovery code is spent, and the app's code from before is a replay.
  await page.goto(demo.loginUrl());
  await submitLogin(page, user.email, user.password);
  await page.waitForURL(`**/${realm.slug}/login/verify`);
  await page.getByRole("link", { name: "Lost your phone? Use a recovery code instead" }).click();
  await waitForForm(page);
  await page.getByLabel("Recovery code").fill(recovery);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByLabel("Recovery code")).toHaveAccessibleDescription(
    /That recovery code is not valid, or it was used already\./,
  );
  await page.getByRole("link", { name: "Use a code from your authenticator app instead" }).click();
  await waitForForm(page);
  await page.getByLabel("Code from your authenticator app").fill(totp);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByLabel("Code from your authenticator app")).toHaveAccessibleDescription(
    "That code is not valid. Enter the 6-digit code your app shows now.",
  );
  expect(page.url()).toBe(`${PORTAL_URL}/${realm.slug}/login/verify`);

  // Another recovery code still works.
  await page.getByRole("link", { name: "Lost your phone? Use a recovery code instead" }).click();
  await waitForForm(page);
  await page.getByLabel("Recovery code").fill(enrolment.codes[1] ?? "");
  await page.getByRole("button", { name: "Verify" }).click();
  await expectSignedInAtApp(page, demo, user.email);
});

test("five wrong codes end the login: back on the login page with a message, and the next login starts afresh", async ({
  page,
  api,
  realm,
  demo,
  user,
}) => {
  await api.updateRealmSettings(realm.slug, { mfa_policy: "required" });
  await page.goto(demo.loginUrl({ state: "s5" }));
  const enrolment = await enrolDuringLogin(page, realm.slug, user);
  await page.getByRole("button", { name: "I have saved these codes, continue" }).click();
  await expectSignedInAtApp(page, demo, user.email);
  await logOut(page, demo.logoutUrl(), demo.callback);

  await page.goto(demo.loginUrl({ state: "s5" }));
  await submitLogin(page, user.email, user.password);
  await page.waitForURL(`**/${realm.slug}/login/verify`);
  const wrong = codeAt(enrolment.key, enrolment.step + 1) === "000000" ? "111111" : "000000";
  for (let i = 0; i < 4; i++) {
    await waitForForm(page);
    await page.getByLabel("Code from your authenticator app").fill(wrong);
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByLabel("Code from your authenticator app")).toHaveAttribute("aria-invalid", "true");
  }
  await page.getByLabel("Code from your authenticator app").fill(wrong);
  await page.getByRole("button", { name: "Verify" }).click();
  await page.waitForURL((url) => url.pathname === `/${realm.slug}/login`);
  await expect(alerts(page).first()).toHaveText(
    "That login was stopped after too many wrong codes. Log in again to get a new try.",
  );
  // The voided flow's page is gone; the login page still carries the app's entry.
  await submitLogin(page, user.email, user.password);
  await page.waitForURL(`**/${realm.slug}/login/verify`);
  await waitForForm(page);
  await page.getByLabel("Code from your authenticator app").fill(codeAt(enrolment.key, enrolment.step + 1));
  await page.getByRole("button", { name: "Verify" }).click();
  const back = await expectSignedInAtApp(page, demo, user.email);
  expect(back.searchParams.get("state")).toBe("s5");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("enrol with the codes shown after a plain form post, then log in with the app", async ({
    page,
    api,
    realm,
    demo,
    user,
  }) => {
    await api.updateRealmSettings(realm.slug, { mfa_policy: "required" });
    await page.goto(demo.loginUrl());
    const enrolment = await enrolDuringLogin(page, realm.slug, user);
    await page.getByRole("button", { name: "I have saved these codes, continue" }).click();
    const first = await expectSignedInAtApp(page, demo, user.email);
    expect((await verifyLoginToken(tokenFrom(first), realm, demo.app)).payload.amr).toEqual(["pwd", "otp"]);
    await logOut(page, demo.logoutUrl(), demo.callback);

    await page.goto(demo.loginUrl());
    await submitLogin(page, user.email, user.password);
    await page.waitForURL(`**/${realm.slug}/login/verify`);
    // A wrong code comes back as the field's error; the recovery-code form is a link away.
    await page.getByLabel("Code from your authenticator app").fill("12345x");
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page.getByLabel("Code from your authenticator app")).toHaveAttribute("aria-invalid", "true");
    await page.getByRole("link", { name: "Lost your phone? Use a recovery code instead" }).click();
    await expect(page.getByLabel("Recovery code")).toBeVisible();
    await page.getByRole("link", { name: "Use a code from your authenticator app instead" }).click();
    await page.getByLabel("Code from your authenticator app").fill(codeAt(enrolment.key, enrolment.step + 1));
    await page.getByRole("button", { name: "Verify" }).click();
    await expectSignedInAtApp(page, demo, user.email);
  });
});
