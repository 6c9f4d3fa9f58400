import type { Page } from "@playwright/test";
import {
  type Api,
  alerts,
  expect,
  expectNoSeriousViolations,
  expectSignedInAtApp,
  PORTAL_URL,
  type RealmInfo,
  test,
  tokenFrom,
  unique,
  verifyLoginToken,
  waitForForm,
} from "./fixtures";
import { continueWithUpstream, PROVIDER_NAME, registerUpstream } from "./social";

/**
 * Issue 6 finishing: the profile's "Linked accounts" for a user who signed up through the provider
 * (never removable while it is the only way in; removable once a password exists), and signup
 * through an invitation with the provider in a social-only, invitation-only realm.
 */

const NEW_PASSWORD = "violet-otter-harbour-42";

async function identitiesOf(api: Api, realm: RealmInfo, userId: string) {
  const response = await api.request.get(`/api/v1/realms/${realm.slug}/users/${userId}/identities`);
  expect(response.ok()).toBe(true);
  return ((await response.json()) as { data: Array<{ id: string }> }).data;
}

const linkedSection = (page: Page) => page.getByRole("region", { name: "Linked accounts" });

test("linked accounts on the profile: the only way in stays; with a password it can be removed, and the next social login must prove the account", async ({
  page,
  browser,
  api,
  realm,
  demo,
  mail,
}) => {
  test.slow();
  await registerUpstream(api, realm);
  const email = `${unique("linked-")}@example.com`;
  await page.goto(demo.loginUrl());
  await continueWithUpstream(page, email);
  const first = await expectSignedInAtApp(page, demo, email);
  const { payload } = await verifyLoginToken(tokenFrom(first), realm, demo.app);
  const userId = String(payload.sub);
  expect(await identitiesOf(api, realm, userId)).toHaveLength(1);

  // The profile lists the linked account: the provider's name and the address it gave.
  await page.goto(`${PORTAL_URL}/${realm.slug}/profile`);
  const linked = linkedSection(page);
  await expect(linked.getByRole("heading", { level: 3, name: PROVIDER_NAME })).toBeVisible();
  await expect(linked.getByText(email)).toBeVisible();
  await expectNoSeriousViolations(page);

  // Without a password it is the only way in: no "Remove", the reason instead; nothing removed.
  await expect(
    linked.getByRole("button", { name: `Remove the linked ${PROVIDER_NAME} account` }),
  ).toHaveCount(0);
  await expect(linked.getByText("This is your only way to sign in, so it cannot be removed.")).toBeVisible();
  expect(await identitiesOf(api, realm, userId)).toHaveLength(1);

  // "Set a password": the reset mail, its link, a new password, back on the profile.
  await page.getByRole("link", { name: "Set a password" }).click();
  await page.waitForURL((url) => url.pathname === `/${realm.slug}/forgot`);
  await waitForForm(page);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("status")).toContainText("Check your email.");
  const link = await mail.linkIn({ to: email }, "/reset?token=");
  await page.goto(link);
  await waitForForm(page);
  await page.getByLabel("New password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: /^Save password/ }).click();
  await page.waitForURL((url) => url.pathname === `/${realm.slug}/profile`);

  // Now there is another way in: "Remove" is offered. Recent authentication applies, and the
  // password just set is one: no confirmation asked.
  const remove = linkedSection(page).getByRole("button", {
    name: `Remove the linked ${PROVIDER_NAME} account`,
  });
  await expect(remove).toBeVisible();
  await expect(linkedSection(page).getByLabel("Current password")).toHaveCount(0);
  await expectNoSeriousViolations(page);
  await remove.click();
  await expect(
    linkedSection(page).getByText("The linked account was removed. You can no longer sign in with it."),
  ).toBeVisible();
  await expect(linkedSection(page).getByText("No accounts from other providers are linked.")).toBeVisible();
  await expect(linkedSection(page).getByRole("heading", { level: 3, name: PROVIDER_NAME })).toHaveCount(0);
  expect(await identitiesOf(api, realm, userId)).toHaveLength(0);

  // The same upstream account again (another browser): it is a new identity whose verified address
  // belongs to an account, and auto-linking is off, so the account's password has to prove it.
  const other = await browser.newContext();
  const again = await other.newPage();
  await again.goto(demo.loginUrl());
  await continueWithUpstream(again, email);
  await again.waitForURL(`${PORTAL_URL}/${realm.slug}/login/link`);
  await expect(again.getByText(`An account with ${email} already exists.`)).toBeVisible();
  expect(await identitiesOf(api, realm, userId)).toHaveLength(0);
  await waitForForm(again);
  await again.getByLabel("Password").fill(NEW_PASSWORD);
  await again.getByRole("button", { name: "Link and continue" }).click();
  const back = await expectSignedInAtApp(again, demo, email);
  const relinked = await verifyLoginToken(tokenFrom(back), realm, demo.app);
  expect(relinked.payload.sub).toBe(userId);
  expect(relinked.payload.amr).toEqual(["pwd", "social:upstream"]);
  expect(await identitiesOf(api, realm, userId)).toHaveLength(1);
  expect((await api.listUsers(realm.slug)).filter((u) => u.email === email)).toHaveLength(1);
  await other.close();
});

test("a social-only, invitation-only realm onboards through the invitation link, once", async ({
  page,
  browser,
  api,
  realm,
  demo,
}) => {
  await api.updateRealmSettings(realm.slug, { password_login: false, signup_mode: "invitation" });
  await registerUpstream(api, realm);
  const email = `${unique("invited-")}@example.com`;
  const response = await api.request.post(`/api/v1/realms/${realm.slug}/invitations`, {
    data: { email, client_id: demo.app.id },
  });
  expect(response.status(), await response.text()).toBe(201);
  const { url } = (await response.json()) as { url: string };

  // Without the invitation nobody new gets in through the provider.
  await page.goto(demo.loginUrl());
  await continueWithUpstream(page, `${unique("stranger-")}@example.com`);
  await page.waitForURL((u) => u.pathname === `/${realm.slug}/login` && u.searchParams.has("error"));
  await expect(alerts(page)).toHaveText(`Sign-up for ${realm.name} is by invitation only.`);

  // The invitation's signup page offers the provider, carrying the invitation.
  const invited = await browser.newContext();
  const tab = await invited.newPage();
  await tab.goto(url);
  const button = tab.getByRole("link", { name: `Continue with ${PROVIDER_NAME}` });
  await expect(button).toBeVisible();
  expect(new URL((await button.getAttribute("href")) ?? "", PORTAL_URL).searchParams.get("invitation")).toBe(
    new URL(url).searchParams.get("invitation"),
  );
  await expectNoSeriousViolations(tab);
  await continueWithUpstream(tab, email);
  const landed = await expectSignedInAtApp(tab, demo, email);
  expect(landed.searchParams.get("signup")).toBe("true");
  expect((await api.listUsers(realm.slug)).map((u) => u.email)).toEqual([email]);
  await invited.close();

  // The link is spent.
  const late = await browser.newContext();
  const latePage = await late.newPage();
  await latePage.goto(url);
  await expect(alerts(latePage)).toHaveText("This invitation is not valid or has expired.");
  await late.close();
});
