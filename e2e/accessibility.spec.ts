import {
  alerts,
  expect,
  expectNoSeriousViolations,
  expectSignedInAtApp,
  hostedUrl,
  logInThroughApp,
  submitLogin,
  test,
  waitForForm,
} from "./fixtures";
import {
  codeAt,
  currentStep,
  readRecoveryCodes,
  readTotpKey,
  setUpTwoFactor,
  twoFactorRegion,
} from "./two-factor";

test("the login page, fresh and with a wrong-password error, has no serious accessibility problems", async ({
  page,
  demo,
  user,
}) => {
  await page.goto(demo.loginUrl());
  await expect(page.getByLabel("Email")).toBeVisible();
  await expectNoSeriousViolations(page);

  await submitLogin(page, user.email, "wrong-password");
  await expect(alerts(page)).toHaveText("Incorrect email or password.");
  await expectNoSeriousViolations(page);
});

test("the signup page with field errors shown has no serious accessibility problems", async ({
  page,
  demo,
}) => {
  await page.goto(demo.signupUrl());
  await waitForForm(page);
  await expectNoSeriousViolations(page);

  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
  await expectNoSeriousViolations(page);
});

test("the error page and the 404 page have no serious accessibility problems", async ({
  page,
  realm,
  demo,
}) => {
  await page.goto(
    hostedUrl(realm.slug, "login", { client_id: demo.app.id, redirect_uri: "https://evil.example/" }),
  );
  await expect(page.getByRole("heading", { name: "Something went wrong" })).toBeVisible();
  await expectNoSeriousViolations(page);

  await page.goto("/no-such-realm/login");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expectNoSeriousViolations(page);
});

test("keyboard only: Tab reaches Email, Password and Log in in that order, and Enter submits", async ({
  page,
  demo,
  user,
}) => {
  await page.goto(demo.loginUrl());
  await waitForForm(page);
  const email = page.getByLabel("Email");
  await expect(email).toBeVisible();

  // Tab from the top of the page until the first field; nothing in the card comes before it.
  for (let i = 0; i < 5 && !(await email.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press("Tab");
  }
  await expect(email).toBeFocused();
  await page.keyboard.type(user.email);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Password")).toBeFocused();
  await page.keyboard.type(user.password);
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Log in" })).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  await expect(page.getByLabel("Password")).toBeFocused();

  await page.keyboard.press("Enter");
  await expectSignedInAtApp(page, demo, user.email);
});

test("the choose-a-new-password step, fresh and with an error, has no serious accessibility problems", async ({
  page,
  api,
  realm,
  demo,
  user,
}) => {
  await api.updateUser(realm.slug, user.id, { must_change_password: true });
  await page.goto(demo.loginUrl());
  await submitLogin(page, user.email, user.password);
  await page.waitForURL(`**/${realm.slug}/login/password`);
  await waitForForm(page);
  await expectNoSeriousViolations(page);

  await page.getByLabel("New password").fill("short");
  await page.getByRole("button", { name: "Save password and continue" }).click();
  await expect(page.getByLabel("New password")).toHaveAttribute("aria-invalid", "true");
  await expectNoSeriousViolations(page);
});

test("the signup page with the anti-robot check (ALTCHA) on, fresh, passed and refused, has no serious accessibility problems", async ({
  page,
  api,
  realm,
  demo,
}) => {
  test.slow(); // the browser solves a proof-of-work challenge
  await api.updateRealmSettings(realm.slug, { signup_altcha: true });
  await page.goto(demo.signupUrl());
  await waitForForm(page);
  await expect(page.getByRole("checkbox", { name: "I'm not a robot" })).toBeVisible();
  await expectNoSeriousViolations(page);

  // Keyboard: the check is a checkbox in the tab order after Password; focusing the form starts it.
  await page.getByLabel("Password").focus();
  await page.keyboard.press("Tab");
  // (Its name follows its state: "Checking your browser…" by now.)
  await expect(page.getByRole("group", { name: "Anti-robot check" }).getByRole("checkbox")).toBeFocused();
  await expect(page.getByText("Check passed")).toBeVisible({ timeout: 60_000 });
  await expectNoSeriousViolations(page);

  await page.getByLabel("Email").fill("someone@example.com");
  await page.getByLabel("Password").fill("a perfectly fine password");
  await page.locator('form input[name="altcha"]').evaluate((input: HTMLInputElement) => {
    input.value = "not-a-solution";
  });
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(alerts(page)).toHaveText("The anti-robot check did not pass. Try again.");
  await expectNoSeriousViolations(page);
});

test("every bundled email, as the preview API renders it, light and dark, has no serious accessibility problems", async ({
  page,
  api,
  realm,
}) => {
  test.slow(); // ten emails, each checked twice
  const names = [
    "password_reset",
    "verify_email",
    "change_email",
    "email_changed",
    "new_device",
    "account_locked",
    "welcome",
    "mfa_enabled",
    "mfa_disabled",
    "mfa_reset",
  ];
  for (const name of names) {
    const response = await api.request.fetch(`/api/v1/realms/${realm.slug}/email_templates/${name}/preview`, {
      method: "POST",
      data: {},
    });
    expect(response.status(), name).toBe(200);
    const { html } = (await response.json()) as { html: string };
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      await page.setContent(html);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expectNoSeriousViolations(page);
    }
  }
});

test("the forgot-password page (fresh, with an error, answered) and the reset pages (form, error, dead link) have no serious accessibility problems", async ({
  page,
  realm,
  demo,
  user,
  mail,
}) => {
  await page.goto(demo.loginUrl().replace("/login?", "/forgot?"));
  await waitForForm(page);
  await expectNoSeriousViolations(page);

  await page.getByLabel("Email").fill("not-an-email");
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expectNoSeriousViolations(page);

  await page.getByLabel("Email").fill(user.email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("status")).toContainText("Check your email.");
  await expectNoSeriousViolations(page);

  await page.goto(await mail.linkIn({ to: user.email, subject: "Reset your" }, "/reset?token="));
  await waitForForm(page);
  await expectNoSeriousViolations(page);
  await page.getByLabel("New password").fill("short");
  await page.getByRole("button", { name: "Save password and continue" }).click();
  await expect(page.getByLabel("New password")).toHaveAttribute("aria-invalid", "true");
  await expectNoSeriousViolations(page);

  await page.goto(`/${realm.slug}/reset?token=${"A".repeat(43)}`);
  await expect(
    page.getByRole("heading", { name: "This link has expired or was already used" }),
  ).toBeVisible();
  await expect(page).toHaveTitle(`Link expired · ${realm.name}`);
  await expectNoSeriousViolations(page);
});

test("email verification pages (the login step, the link page, confirmed, a dead link) and the profile's email sections have no serious accessibility problems", async ({
  page,
  api,
  realm,
  demo,
  user,
  mail,
}) => {
  test.slow();
  await api.updateRealmSettings(realm.slug, { email_verification: "require" });
  await page.goto(demo.loginUrl());
  await submitLogin(page, user.email, user.password);
  await page.waitForURL(`**/${realm.slug}/login/verify-email`);
  await waitForForm(page);
  await expectNoSeriousViolations(page);
  await page.getByRole("button", { name: "Send the link again" }).click();
  await expect(page.getByText("A new link is on its way")).toBeVisible();
  await expectNoSeriousViolations(page);

  await expect.poll(async () => (await mail.list({ to: user.email })).length).toBe(2);
  const link = (await mail.list({ to: user.email })).at(-1)?.links.find((l) => l.includes("/verify-email?"));
  if (!link) throw new Error("no link sent");
  await page.goto(link);
  await expect(page.getByRole("button", { name: "Confirm my address" })).toBeVisible();
  await expectNoSeriousViolations(page);

  // Confirmed in another browser (no flow cookie there): the confirmed page.
  const other = await page.context().browser()?.newContext();
  if (!other) throw new Error("no browser");
  const elsewhere = await other.newPage();
  await elsewhere.goto(link);
  await waitForForm(elsewhere);
  await elsewhere.getByRole("button", { name: "Confirm my address" }).click();
  await expect(elsewhere.getByRole("heading", { name: "Your email address is confirmed" })).toBeVisible();
  await expectNoSeriousViolations(elsewhere);
  await elsewhere.goto(link);
  await expect(elsewhere.getByRole("heading", { name: "This link does not work any more" })).toBeVisible();
  await expectNoSeriousViolations(elsewhere);
  await other.close();

  // Back in the first browser: Continue finishes the login; then the profile with a pending change.
  await page.goto(`/${realm.slug}/login/verify-email`);
  await waitForForm(page);
  await page.getByRole("button", { name: "Continue" }).click();
  await expectSignedInAtApp(page, demo, user.email);
  await page.goto(hostedUrl(realm.slug, "profile"));
  await waitForForm(page);
  const change = page.getByRole("region", { name: "Change email address" });
  await change.getByLabel("New email address").fill("not-an-address");
  await change.getByRole("button", { name: "Change email address" }).click();
  await expect(change.getByLabel("New email address")).toHaveAttribute("aria-invalid", "true");
  await expectNoSeriousViolations(page);
  await change.getByLabel("New email address").fill(`pending-${user.email}`);
  await change.getByLabel("Current password").fill(user.password);
  await change.getByRole("button", { name: "Change email address" }).click();
  await expect(page.getByRole("button", { name: "Cancel the change" })).toBeVisible();
  await expectNoSeriousViolations(page);
});

test("the profile's two-step verification section (off, the setup with a wrong code, the recovery codes, the controls when on) has no serious accessibility problems", async ({
  page,
  realm,
  demo,
  user,
}) => {
  test.slow();
  await logInThroughApp(page, demo, user);
  await page.goto(hostedUrl(realm.slug, "profile"));
  await waitForForm(page);
  const region = twoFactorRegion(page);
  await expect(region.getByRole("button", { name: "Set up two-step verification" })).toBeVisible();
  await expectNoSeriousViolations(page);

  await region.getByRole("button", { name: "Set up two-step verification" }).click();
  await region.getByLabel("6-digit code from the app").fill("000000");
  await region.getByRole("button", { name: "Confirm and turn on" }).click();
  await expect(region.getByLabel("6-digit code from the app")).toHaveAttribute("aria-invalid", "true");
  await expectNoSeriousViolations(page);
  await region.getByRole("button", { name: "Cancel setup" }).click();
  await expect(region.getByRole("button", { name: "Set up two-step verification" })).toBeVisible();

  await setUpTwoFactor(page, realm, user);
  // The codes take the focus, so a screen reader reads them first.
  await expect(region.getByRole("heading", { name: "Your recovery codes" })).toBeFocused();
  await expect(region.getByRole("button", { name: "Turn off two-step verification" })).toBeVisible();
  await expectNoSeriousViolations(page);
  await region.getByText("Lost your phone? Use a recovery code instead").click();
  await region.getByRole("textbox", { name: "Recovery code" }).fill("nope-nope-nope-nope");
  await region.getByRole("button", { name: "Turn off two-step verification" }).click();
  await expect(region.getByRole("textbox", { name: "Recovery code" })).toHaveAttribute(
    "aria-invalid",
    "true",
  );
  await expectNoSeriousViolations(page);
});

test("the 2FA login steps (enrolment with an error, the recovery codes, the code and recovery-code forms with errors) have no serious accessibility problems", async ({
  page,
  api,
  realm,
  demo,
  user,
}) => {
  test.slow();
  await api.updateRealmSettings(realm.slug, { mfa_policy: "required" });
  await page.goto(demo.loginUrl());
  await submitLogin(page, user.email, user.password);
  await page.waitForURL(`**/${realm.slug}/login/enrol-2fa`);
  await waitForForm(page);
  await expect(page.getByRole("img", { name: /QR code that adds/ })).toBeVisible();
  await expectNoSeriousViolations(page);

  await page.getByLabel("6-digit code from the app").fill("000000");
  await page.getByRole("button", { name: "Turn on two-step verification" }).click();
  await expect(page.getByLabel("6-digit code from the app")).toHaveAttribute("aria-invalid", "true");
  await expectNoSeriousViolations(page);

  const key = await readTotpKey(page);
  const step = currentStep();
  await page.getByLabel("6-digit code from the app").fill(codeAt(key, step));
  await page.getByRole("button", { name: "Turn on two-step verification" }).click();
  await readRecoveryCodes(page);
  // Focus moves to the codes' heading, so a screen reader starts there.
  await expect(page.getByRole("heading", { name: "Your recovery codes" })).toBeFocused();
  await expectNoSeriousViolations(page);
  await page.getByRole("button", { name: "I have saved these codes, continue" }).click();
  await expectSignedInAtApp(page, demo, user.email);

  await page.context().clearCookies();
  await page.goto(demo.loginUrl());
  await submitLogin(page, user.email, user.password);
  await page.waitForURL(`**/${realm.slug}/login/verify`);
  await waitForForm(page);
  await expectNoSeriousViolations(page);
  await page.getByLabel("Code from your authenticator app").fill("000000");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByLabel("Code from your authenticator app")).toHaveAttribute("aria-invalid", "true");
  await expectNoSeriousViolations(page);

  await page.getByRole("link", { name: "Lost your phone? Use a recovery code instead" }).click();
  await waitForForm(page);
  await page.getByLabel("Recovery code").fill("aaaa-bbbb-cccc-dddd");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByLabel("Recovery code")).toHaveAttribute("aria-invalid", "true");
  await expectNoSeriousViolations(page);
});
