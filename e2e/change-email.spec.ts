import {
  alerts,
  expect,
  expectSignedInAtApp,
  hostedUrl,
  submitLogin,
  test,
  unique,
  waitForForm,
} from "./fixtures";

test("change of email from the profile: a link to the new address, then the change, and a notice to the old one", async ({
  page,
  realm,
  demo,
  user,
  mail,
}) => {
  await page.goto(hostedUrl(realm.slug, "profile", { client_id: demo.app.id, redirect_uri: demo.callback }));
  await submitLogin(page, user.email, user.password);
  await page.waitForURL(`**/${realm.slug}/profile?**`);
  const section = page.getByRole("region", { name: "Change email address" });
  const status = page.getByRole("region", { name: "Email address", exact: true });
  await waitForForm(page);

  // Made through the API, the user has no confirmed address yet; the page offers a link.
  await expect(status.getByText(`${user.email} is not confirmed yet.`)).toBeVisible();
  await status.getByRole("button", { name: "Send a confirmation link" }).click();
  await expect(status.getByText("A confirmation link is on its way")).toBeVisible();
  await mail.linkIn({ to: user.email, subject: "Confirm your email address" }, "/verify-email?token=");

  // A wrong password says so, and sends nothing.
  const newEmail = `${unique("moved-")}@example.com`;
  await section.getByLabel("New email address").fill(newEmail);
  await section.getByLabel("Current password").fill("not-my-password");
  await section.getByRole("button", { name: "Change email address" }).click();
  await expect(section.getByLabel("Current password")).toHaveAttribute("aria-invalid", "true");
  await expect(section.getByLabel("New email address")).toHaveValue(newEmail);

  await section.getByLabel("Current password").fill(user.password);
  await section.getByRole("button", { name: "Change email address" }).click();
  await expect(section.getByText("Check the inbox of your new address")).toBeVisible();
  // Nothing has changed yet; the pending change shows, with a way to cancel it.
  await expect(status.getByText(`You asked to change your address to ${newEmail}.`)).toBeVisible();
  await expect(status.getByRole("button", { name: "Cancel the change" })).toBeVisible();
  await expect(page.getByText(`You are signed in as ${user.email}.`)).toBeVisible();

  const link = await mail.linkIn(
    { to: newEmail, subject: "Confirm your new email address" },
    "/verify-email?token=",
  );
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Confirm your new email address" })).toBeVisible();
  await expect(page.getByText(`should use ${newEmail} from now on, instead of ${user.email}`)).toBeVisible();
  await waitForForm(page);
  await page.getByRole("button", { name: "Confirm the new address" }).click();
  await expect(page.getByRole("heading", { name: "Your email address has been changed" })).toBeVisible();

  // The old address hears of it.
  const notice = await mail.waitFor({ to: user.email, subject: "was changed" });
  expect(notice.text).toContain(`from ${user.email} to ${newEmail}`);

  // Back on the account page: the new address, confirmed, and nothing pending.
  await page.getByRole("link", { name: "Go to your account" }).click();
  await expect(page.getByText(`You are signed in as ${newEmail}.`)).toBeVisible();
  await expect(page.getByText(`${newEmail} is confirmed.`)).toBeVisible();
  await expect(page.getByRole("button", { name: "Cancel the change" })).toHaveCount(0);

  // The new address logs in; the old one no longer does.
  await page.context().clearCookies();
  await page.goto(demo.loginUrl());
  await submitLogin(page, user.email, user.password);
  await expect(alerts(page)).toHaveText("Incorrect email or password.");
  await submitLogin(page, newEmail, user.password);
  await expectSignedInAtApp(page, demo, newEmail);
});

test("without JavaScript: ask for a change, cancel it, and its link stops working", async ({
  browser,
  realm,
  user,
  mail,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(hostedUrl(realm.slug, "profile"));
  await submitLogin(page, user.email, user.password);
  await page.waitForURL(`**/${realm.slug}/profile`);
  const newEmail = `${unique("nojs-")}@example.com`;
  const section = page.getByRole("region", { name: "Change email address" });
  await section.getByLabel("New email address").fill(newEmail);
  await section.getByLabel("Current password").fill(user.password);
  await section.getByRole("button", { name: "Change email address" }).click();
  await expect(page.getByText(`You asked to change your address to ${newEmail}.`)).toBeVisible();
  const link = await mail.linkIn({ to: newEmail }, "/verify-email?token=");

  await page.getByRole("button", { name: "Cancel the change" }).click();
  await expect(page.getByText("The change was cancelled")).toBeVisible();
  await expect(page.getByText(`You asked to change your address to ${newEmail}.`)).toHaveCount(0);
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "This link does not work any more" })).toBeVisible();
  await context.close();
});
