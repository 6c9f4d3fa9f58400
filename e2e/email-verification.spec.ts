import {
  alerts,
  expect,
  expectSignedInAtApp,
  submitLogin,
  submitSignup,
  test,
  tokenFrom,
  unique,
  verifyLoginToken,
  waitForForm,
} from "./fixtures";

const PASSWORD = "a perfectly fine password";
const SUBJECT = "Confirm your email address";

test("request mode: signup lands in the app unverified; the mailed link, confirmed, verifies the address", async ({
  page,
  realm,
  demo,
  mail,
}) => {
  const email = `${unique("req-")}@example.com`;
  await page.goto(demo.signupUrl({ state: "st-req" }));
  await submitSignup(page, { email, password: PASSWORD });
  const landed = await expectSignedInAtApp(page, demo, email);
  const first = await verifyLoginToken(tokenFrom(landed), realm, demo.app);
  expect(first.payload.email_verified).toBe(false);

  const link = await mail.linkIn({ to: email, subject: SUBJECT }, "/verify-email?token=");
  expect(link.startsWith(`${realm.url}/verify-email?token=`)).toBe(true);
  // The token leaves the address at once: a 303 (under no-referrer) to the same page without it.
  const hop = await page.request.get(link, { maxRedirects: 0 });
  expect(hop.status()).toBe(303);
  expect(hop.headers()["referrer-policy"]).toBe("no-referrer");
  expect(hop.headers().location).toBe(`/${realm.slug}/verify-email`);

  // Opening it (as a mail scanner would) changes nothing: only the button does.
  await page.goto(link);
  expect(page.url()).toBe(`${realm.url}/verify-email`);
  await expect(page.getByRole("heading", { name: "Confirm your email address" })).toBeVisible();
  await expect(page.getByText(`Confirm that ${email} is the email address`)).toBeVisible();
  await waitForForm(page);
  await page.getByRole("button", { name: "Confirm my address" }).click();

  await expect(page.getByRole("heading", { name: "Your email address is confirmed" })).toBeVisible();
  await page.getByRole("link", { name: `Continue to ${demo.app.name}` }).click();
  // The live session from the signup passes /login at once, now with a verified address.
  const again = await expectSignedInAtApp(page, demo, email);
  const second = await verifyLoginToken(tokenFrom(again), realm, demo.app);
  expect(second.payload.email_verified).toBe(true);
  expect(again.searchParams.get("state")).toBe("st-req");

  // The link works once: opened again, it explains itself and offers a way to a new one.
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "This link does not work any more" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Log in to your account to get a new link" })).toBeVisible();
});

test("require mode: signup waits on 'Check your inbox'; the mailed link lands in the app with email_verified true", async ({
  page,
  api,
  realm,
  demo,
  mail,
}) => {
  await api.updateRealmSettings(realm.slug, { email_verification: "require" });
  const email = `${unique("reqd-")}@example.com`;
  await page.goto(demo.signupUrl({ state: "st-reqd" }));
  await submitSignup(page, { email, password: PASSWORD });

  await page.waitForURL(`**/${realm.slug}/login/verify-email`);
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  await expect(page.getByText(`we sent a link to ${email}`)).toBeVisible();
  expect(page.url()).not.toContain("token=");

  // Not yet: Continue says so and stays.
  await waitForForm(page);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("Your address is not confirmed yet.")).toBeVisible();
  // The signup's own email, then a second one on request (which voids the first link).
  await mail.waitFor({ to: email, subject: SUBJECT });
  await page.getByRole("button", { name: "Send the link again" }).click();
  await expect(page.getByText("A new link is on its way")).toBeVisible();
  await expect.poll(async () => (await mail.list({ to: email })).length).toBe(2);
  const mails = await mail.list({ to: email, subject: SUBJECT });
  const link = mails.at(-1)?.links.find((l) => l.includes("/verify-email?token="));
  if (!link) throw new Error("no link in the newest email");

  await page.goto(link);
  await waitForForm(page);
  await page.getByRole("button", { name: "Confirm my address" }).click();
  const landed = await expectSignedInAtApp(page, demo, email);
  expect(landed.searchParams.get("signup")).toBe("true");
  expect(landed.searchParams.get("state")).toBe("st-reqd");
  const { payload } = await verifyLoginToken(tokenFrom(landed), realm, demo.app);
  expect(payload.email_verified).toBe(true);
});

test("without JavaScript: require mode holds a login on the step, and the mailed link finishes it", async ({
  browser,
  api,
  realm,
  demo,
  user,
  mail,
}) => {
  await api.updateRealmSettings(realm.slug, { email_verification: "require" });
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(demo.loginUrl());
  await submitLogin(page, user.email, user.password);
  await page.waitForURL(`**/${realm.slug}/login/verify-email`);
  // The step mailed a link as it started; ask for another (the first stops working).
  await mail.waitFor({ to: user.email, subject: SUBJECT });
  await page.getByRole("button", { name: "Send the link again" }).click();
  await expect(alerts(page)).toHaveCount(0);
  await expect(page.getByText("A new link is on its way")).toBeVisible();
  await expect.poll(async () => (await mail.list({ to: user.email })).length).toBe(2);

  const mails = await mail.list({ to: user.email, subject: SUBJECT });
  const link = mails.at(-1)?.links.find((l) => l.includes("/verify-email?token="));
  if (!link) throw new Error("no link sent");
  await page.goto(link);
  await page.getByRole("button", { name: "Confirm my address" }).click();
  const landed = await expectSignedInAtApp(page, demo, user.email);
  expect((await verifyLoginToken(tokenFrom(landed), realm, demo.app)).payload.email_verified).toBe(true);
  await context.close();
});
