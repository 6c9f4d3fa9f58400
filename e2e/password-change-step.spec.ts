import {
  alerts,
  expect,
  expectSignedInAtApp,
  submitLogin,
  test,
  tokenFrom,
  verifyLoginToken,
} from "./fixtures";

const NEW_PASSWORD = "violet-otter-harbour-42";

test("an admin's 'must change password' makes the next login choose a new one before reaching the app", async ({
  page,
  api,
  realm,
  demo,
  user,
}) => {
  await api.updateUser(realm.slug, user.id, { must_change_password: true });
  await page.goto(demo.loginUrl({ state: "st-9" }));
  await submitLogin(page, user.email, user.password);

  await page.waitForURL(`**/${realm.slug}/login/password`);
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await expect(page.getByText(`You must choose a new password for ${user.email}`)).toBeVisible();
  // No token has been issued so far: the step's page carries none.
  expect(page.url()).not.toContain("token=");

  await page.getByLabel("New password").fill("short");
  await page.getByRole("button", { name: "Save password and continue" }).click();
  await expect(alerts(page).filter({ hasText: "Use at least 8 characters." })).toBeVisible();

  await page.getByLabel("New password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Save password and continue" }).click();
  const landed = await expectSignedInAtApp(page, demo, user.email);
  expect(landed.searchParams.get("state")).toBe("st-9");
  const { payload } = await verifyLoginToken(tokenFrom(landed), realm, demo.app);
  expect(payload.sub).toBe(user.id);

  // The step is spent: going back to it shows the expired-flow message, not the form.
  await page.goto(`/${realm.slug}/login/password`);
  await expect(page.getByText("This login attempt has expired.")).toBeVisible();
});

test("without JavaScript the step is a plain form too, and the old password stops working", async ({
  browser,
  api,
  realm,
  demo,
  user,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await api.updateUser(realm.slug, user.id, { must_change_password: true });
  await page.goto(demo.loginUrl());
  await submitLogin(page, user.email, user.password);
  await page.waitForURL(`**/${realm.slug}/login/password`);
  await page.getByLabel("New password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Save password and continue" }).click();
  await page.waitForURL((url) => url.href.startsWith(`${demo.callback}?`));
  await context.close();

  const fresh = await browser.newContext();
  const again = await fresh.newPage();
  await again.goto(demo.loginUrl());
  await submitLogin(again, user.email, user.password);
  await expect(alerts(again).filter({ hasText: "Incorrect email or password." })).toBeVisible();
  await submitLogin(again, user.email, NEW_PASSWORD);
  await expectSignedInAtApp(again, demo, user.email);
  await fresh.close();
});

test("the step page without a flow explains that the login expired", async ({ page, realm }) => {
  await page.goto(`/${realm.slug}/login/password`);
  await expect(page.getByText("This login attempt has expired.")).toBeVisible();
  await expect(page.getByLabel("New password")).toHaveCount(0);
});
