import type { Page } from "@playwright/test";
import {
  type Api,
  alerts,
  expect,
  expectSignedInAtApp,
  type RealmInfo,
  submitLogin,
  test,
  tokenFrom,
  unique,
  verifyLoginToken,
  waitForForm,
} from "./fixtures";

const password = "violet tractor harbor 58";

async function createInvitation(api: Api, realm: RealmInfo, body: Record<string, unknown>) {
  const response = await api.request.post(`/api/v1/realms/${realm.slug}/invitations`, { data: body });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as { id: string; url: string; email: string | null };
}

/** The signup form's trap field. Not reachable by role or label: it is hidden from assistive tech. */
const honeypot = (page: Page) => page.locator('[data-slot="signup-form"] input[name="website"]');

test("separate usernames: sign up with a username, then log in with it", async ({
  page,
  context,
  api,
  realm,
  demo,
}) => {
  await api.updateRealmSettings(realm.slug, { username_mode: "separate" });
  const email = `${unique("uname-")}@example.com`;
  const username = unique("Grace.");

  await page.goto(demo.signupUrl());
  await waitForForm(page);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign up" }).click();
  const signedUp = await expectSignedInAtApp(page, demo, email);
  const first = await verifyLoginToken(tokenFrom(signedUp), realm, demo.app);
  expect(first.payload.preferred_username).toBe(username.toLowerCase());

  // The account carries its normalised username.
  const users = await api.listUsers(realm.slug);
  expect(users.find((u) => u.email === email)).toMatchObject({ username: username.toLowerCase() });

  // A fresh browser, then log in with the username in the one identifier field, typed in capitals.
  await context.clearCookies();
  await page.goto(demo.loginUrl());
  await expect(page.getByLabel("Email or username")).toBeVisible();
  await submitLogin(page, username.toUpperCase(), password);
  const loggedIn = await expectSignedInAtApp(page, demo, email);
  const second = await verifyLoginToken(tokenFrom(loggedIn), realm, demo.app);
  expect(second.payload.sub).toBe(first.payload.sub);

  // A username someone already has is a field error on the signup form.
  await context.clearCookies();
  await page.goto(demo.signupUrl());
  await waitForForm(page);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Email", { exact: true }).fill(`${unique("other-")}@example.com`);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByLabel("Username")).toHaveAccessibleDescription("This username is taken.");
});

test("invitation only: no self-signup, but the invitation link signs up once", async ({
  page,
  context,
  api,
  realm,
  demo,
}) => {
  await api.updateRealmSettings(realm.slug, { signup_mode: "invitation" });

  // Without an invitation the page explains, and the login page offers no signup link.
  await page.goto(demo.signupUrl());
  await expect(alerts(page)).toHaveText(`Sign-up for ${realm.name} is by invitation only.`);
  await expect(page.getByLabel("Password")).toHaveCount(0);
  await page.goto(demo.loginUrl());
  await expect(page.getByLabel("Password")).toBeVisible();
  await expect(page.getByRole("link", { name: "Create an account" })).toHaveCount(0);

  const email = `${unique("invited-")}@example.com`;
  const invitation = await createInvitation(api, realm, { email, client_id: demo.app.id });
  await page.goto(invitation.url);
  const emailField = page.getByLabel("Email");
  await expect(emailField).toHaveValue(email);
  await expect(emailField).not.toBeEditable();
  await expect(emailField).toHaveAccessibleDescription("Your invitation is for this address.");
  await waitForForm(page);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign up" }).click();
  const landed = await expectSignedInAtApp(page, demo, email);
  expect(landed.searchParams.get("signup")).toBe("true");

  // The link is spent.
  await context.clearCookies();
  await page.goto(invitation.url);
  await expect(alerts(page)).toHaveText("This invitation is not valid or has expired.");
  await expect(page.getByLabel("Password")).toHaveCount(0);
});

test("the honeypot field is neither visible, announced nor reachable by keyboard", async ({ page, demo }) => {
  await page.goto(demo.signupUrl());
  await waitForForm(page);
  await expect(honeypot(page)).toHaveCount(1);
  await expect(honeypot(page)).not.toBeInViewport();
  await expect(page.getByRole("textbox", { name: "Leave this field empty" })).toHaveCount(0);
  await expect(page.getByLabel("Leave this field empty")).toHaveAttribute("tabindex", "-1");
  await expect(honeypot(page)).toHaveAttribute("autocomplete", "off");

  // Tab through the whole page: focus visits every field and the button, never the trap.
  await page.getByLabel("First name (optional)").focus();
  const visited: string[] = [];
  for (let i = 0; i < 10; i++) {
    visited.push(
      await page.evaluate(() => {
        const el = document.activeElement as HTMLInputElement | null;
        return el?.name || el?.textContent || el?.tagName || "";
      }),
    );
    await page.keyboard.press("Tab");
  }
  expect(visited).toEqual(
    expect.arrayContaining(["first_name", "last_name", "email", "password", "Sign up"]),
  );
  expect(visited).not.toContain("website");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a bot that fills the honeypot is refused and nothing is created", async ({
    page,
    api,
    realm,
    demo,
  }) => {
    await page.goto(demo.signupUrl());
    await page.getByLabel("Email").fill(`${unique("bot-")}@example.com`);
    await page.getByLabel("Password").fill(password);
    // What a form-filling program does; no person can reach this field.
    await honeypot(page).fill("https://spam.example", { force: true });
    await page.getByRole("button", { name: "Sign up" }).click();
    await expect(alerts(page)).toHaveText("We could not create your account. Try again later.");
    expect(new URL(page.url()).pathname).toBe(`/${realm.slug}/signup`);
    expect(await api.listUsers(realm.slug)).toEqual([]);
  });

  test("an invitation link works without JavaScript too", async ({ page, api, realm, demo }) => {
    await api.updateRealmSettings(realm.slug, { signup_mode: "invitation" });
    const invitation = await createInvitation(api, realm, { client_id: demo.app.id });
    const email = `${unique("nojs-inv-")}@example.com`;
    await page.goto(invitation.url);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign up" }).click();
    await expectSignedInAtApp(page, demo, email);
  });
});
