import {
  alerts,
  expect,
  expectNoSeriousViolations,
  expectSignedInAtApp,
  submitLogin,
  test,
  tokenFrom,
  unique,
  verifyLoginToken,
} from "./fixtures";

const PASSWORD = "amber-falcon-meadow-17";

test("a user without names logs in to a realm that now requires them: asked once, then the app gets them", async ({
  page,
  api,
  realm,
  demo,
}) => {
  // Created through the API without names; then the realm starts requiring names at signup.
  const user = await api.createUser(realm.slug, { email: `${unique("cp")}@example.com`, password: PASSWORD });
  await api.updateRealmSettings(realm.slug, { signup_names: "required" });

  await page.goto(demo.loginUrl({ state: "st-cp" }));
  await submitLogin(page, user.email, PASSWORD);
  await page.waitForURL(`**/${realm.slug}/login/complete-profile`);
  await expect(page.getByRole("heading", { name: "Complete your profile" })).toBeVisible();
  expect(page.url()).not.toContain("token=");
  await expectNoSeriousViolations(page);

  // Validated like the signup form: a blank name is refused, in the browser and on the server.
  await page.getByLabel("First name").fill("Ada");
  await page.getByLabel("Last name").fill("   ");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(alerts(page).filter({ hasText: /last name/i })).toBeVisible();

  await page.getByLabel("Last name").fill("Lovelace");
  await page.getByRole("button", { name: "Save and continue" }).click();
  const landed = await expectSignedInAtApp(page, demo, user.email);
  expect(landed.searchParams.get("state")).toBe("st-cp");
  const { payload } = await verifyLoginToken(tokenFrom(landed), realm, demo.app);
  expect(payload).toMatchObject({ sub: user.id, given_name: "Ada", family_name: "Lovelace" });

  // Saved on the account: the next login goes straight to the app.
  const [saved] = (await api.listUsers(realm.slug)).filter((u) => u.id === user.id);
  expect(saved).toMatchObject({ first_name: "Ada", last_name: "Lovelace" });
  await page.context().clearCookies();
  await page.goto(demo.loginUrl());
  await submitLogin(page, user.email, PASSWORD);
  await expectSignedInAtApp(page, demo, user.email);
});

test("without JavaScript the step is a plain form, and only the missing name is asked", async ({
  browser,
  api,
  realm,
  demo,
}) => {
  const user = await api.createUser(realm.slug, {
    email: `${unique("cpnojs")}@example.com`,
    password: PASSWORD,
    first_name: "Grace",
  });
  await api.updateRealmSettings(realm.slug, { signup_names: "required" });
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(demo.loginUrl());
  await submitLogin(page, user.email, PASSWORD);
  await page.waitForURL(`**/${realm.slug}/login/complete-profile`);
  await expect(page.getByLabel("First name")).toHaveCount(0);
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(alerts(page).first()).toBeVisible();
  await page.getByLabel("Last name").fill("Hopper");
  await page.getByRole("button", { name: "Save and continue" }).click();
  const landed = await expectSignedInAtApp(page, demo, user.email);
  const { payload } = await verifyLoginToken(tokenFrom(landed), realm, demo.app);
  expect(payload).toMatchObject({ given_name: "Grace", family_name: "Hopper" });
  await context.close();
});
