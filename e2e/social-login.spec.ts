import {
  alerts,
  expect,
  expectNoSeriousViolations,
  expectSignedInAtApp,
  PORTAL_URL,
  test,
  tokenFrom,
  unique,
  verifyLoginToken,
  waitForForm,
} from "./fixtures";
import { UPSTREAM_ISSUER } from "./settings";
import { continueWithUpstream, PROVIDER_NAME, registerUpstream, signInUpstream } from "./social";

/**
 * Social login against a real OpenID Provider on loopback (e2e/upstream-oidc.mjs), registered as
 * the realm's generic OIDC provider through the API. Issue 6: first login creates the user, the
 * second reuses it, an unverified email never takes over an account, tampered and replayed
 * callbacks are refused, a cancel lands on the login page with a message.
 */

const CALLBACK = /\/login\/social\/[^/]+\/callback\?/;

test("first login creates the user and reaches the app; the second reuses it", async ({
  page,
  browser,
  api,
  realm,
  demo,
}) => {
  await registerUpstream(api, realm);
  const email = `${unique("ana-")}@example.com`;

  await page.goto(demo.loginUrl({ state: "app-state-1" }));
  await expect(page.getByRole("navigation", { name: "Other ways to sign in" })).toBeVisible();
  await expectNoSeriousViolations(page);
  await continueWithUpstream(page, email);
  const first = await expectSignedInAtApp(page, demo, email);
  expect(first.searchParams.get("state")).toBe("app-state-1");
  expect(first.searchParams.get("signup")).toBe("true");
  const { payload } = await verifyLoginToken(tokenFrom(first), realm, demo.app);
  expect(payload.amr).toEqual(["social:upstream"]);
  expect(payload.email).toBe(email);
  expect(payload.email_verified).toBe(true);

  const users = await api.listUsers(realm.slug);
  expect(users.filter((u) => u.email === email)).toHaveLength(1);

  // Another browser: no portal session, a new login at the provider, the same user.
  const other = await browser.newContext();
  const again = await other.newPage();
  await again.goto(demo.loginUrl());
  await continueWithUpstream(again, email);
  const second = await expectSignedInAtApp(again, demo, email);
  expect(second.searchParams.get("signup")).toBeNull();
  const { payload: secondPayload } = await verifyLoginToken(tokenFrom(second), realm, demo.app);
  expect(secondPayload.sub).toBe(payload.sub);
  expect((await api.listUsers(realm.slug)).filter((u) => u.email === email)).toHaveLength(1);
  await other.close();
});

test("an unverified upstream email does not take over an account: the password links it", async ({
  page,
  api,
  realm,
  demo,
  user,
}) => {
  // Auto-linking is on: it must still not apply to an address the provider does not vouch for.
  await api.updateRealmSettings(realm.slug, { social_auto_link: true });
  await registerUpstream(api, realm);

  await page.goto(demo.loginUrl());
  await continueWithUpstream(page, `unverified:${user.email}`);
  await page.waitForURL(`${PORTAL_URL}/${realm.slug}/login/link`);
  await expect(
    page.getByRole("heading", { level: 1, name: `Link your ${PROVIDER_NAME} account` }),
  ).toBeVisible();
  await expect(page.getByText(`An account with ${user.email} already exists.`)).toBeVisible();
  await waitForForm(page);
  await expectNoSeriousViolations(page);

  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Link and continue" }).click();
  await expect(alerts(page)).toHaveText("Incorrect email or password.");

  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Link and continue" }).click();
  const back = await expectSignedInAtApp(page, demo, user.email);
  const { payload } = await verifyLoginToken(tokenFrom(back), realm, demo.app);
  expect(payload.sub).toBe(user.id);
  expect(payload.amr).toEqual(["pwd", "social:upstream"]);
  expect(await api.listUsers(realm.slug)).toHaveLength(1);
});

test("a tampered state is refused, and the login it belonged to is spent", async ({
  page,
  api,
  realm,
  demo,
}) => {
  await registerUpstream(api, realm);
  await page.goto(demo.loginUrl({ state: "app-state-2" }));
  const authorization = page.waitForRequest((r) => r.url().startsWith(`${UPSTREAM_ISSUER}/auth?`));
  await page.getByRole("link", { name: `Continue with ${PROVIDER_NAME}` }).click();
  // The state the portal sent upstream, one character off, back at the callback with this
  // browser's flow cookie (an attacker's callback, or a mangled one).
  const sent = new URL((await authorization).url()).searchParams.get("state") ?? "";
  await page.waitForURL((url) => url.href.startsWith(UPSTREAM_ISSUER));
  expect(sent.length).toBeGreaterThan(20);
  const callback = `${PORTAL_URL}/${realm.slug}/login/social/upstream/callback`;
  await page.goto(`${callback}?${new URLSearchParams({ code: "forged", state: `${sent.slice(0, -1)}x` })}`);
  await page.waitForURL((url) => url.pathname === `/${realm.slug}/login` && url.searchParams.has("error"));
  await expect(alerts(page)).toHaveText("That sign-in attempt expired or was already used. Start again.");
  // The entry survived: the login page is there for this app, with its state.
  expect(new URL(page.url()).searchParams.get("state")).toBe("app-state-2");
  await expect(page.getByLabel("Email")).toBeVisible();
  // The flow was spent by the failed try: the right state no longer works either.
  await page.goto(`${callback}?${new URLSearchParams({ code: "forged", state: sent })}`);
  await page.waitForURL((url) => url.pathname === `/${realm.slug}/login`);
  await expect(alerts(page)).toHaveText("That sign-in attempt expired or was already used. Start again.");
  expect(await api.listUsers(realm.slug)).toHaveLength(0);
});

test("a replayed callback is refused, even with the flow cookie it came with", async ({
  page,
  context,
  api,
  realm,
  demo,
}) => {
  await registerUpstream(api, realm);
  const email = `${unique("replay-")}@example.com`;
  let callbackUrl = "";
  page.on("request", (request) => {
    if (CALLBACK.test(request.url())) callbackUrl = request.url();
  });
  await page.goto(demo.loginUrl());
  await page.getByRole("link", { name: `Continue with ${PROVIDER_NAME}` }).click();
  // The flow cookie, as it was before the callback spent its row.
  const flowCookie = (await context.cookies(PORTAL_URL)).find((c) => c.name === `gh_flow_${realm.id}`);
  expect(flowCookie).toBeDefined();
  await signInUpstream(page, email);
  await expectSignedInAtApp(page, demo, email);
  expect(callbackUrl).not.toBe("");

  // A fresh browser replays the captured callback with the captured cookie.
  const replay = await page.context().browser()?.newContext();
  if (!replay || !flowCookie) throw new Error("no browser");
  await replay.addCookies([flowCookie]);
  const replayPage = await replay.newPage();
  await replayPage.goto(callbackUrl);
  await replayPage.waitForURL((url) => url.pathname === `/${realm.slug}/login`);
  await expect(alerts(replayPage)).toHaveText(
    "That sign-in attempt expired or was already used. Start again.",
  );
  expect(await replay.cookies(PORTAL_URL)).not.toContainEqual(
    expect.objectContaining({ name: `gh_session_${realm.id}` }),
  );
  await replay.close();
});

test("cancelling at the provider lands on the login page with a message", async ({
  page,
  api,
  realm,
  demo,
}) => {
  await registerUpstream(api, realm);
  await page.goto(demo.loginUrl({ state: "keep-me" }));
  await page.getByRole("link", { name: `Continue with ${PROVIDER_NAME}` }).click();
  await page.getByRole("link", { name: "[ Cancel ]" }).click();
  await page.waitForURL((url) => url.pathname === `/${realm.slug}/login`);
  await expect(alerts(page)).toHaveText("Sign-in was cancelled. Choose a way to sign in to try again.");
  expect(new URL(page.url()).searchParams.get("state")).toBe("keep-me");
  await expectNoSeriousViolations(page);
});

test("the signup page offers the provider too, and a disabled provider shows no button", async ({
  page,
  api,
  realm,
  demo,
}) => {
  const provider = await registerUpstream(api, realm);
  await page.goto(demo.signupUrl());
  await expect(page.getByRole("link", { name: `Continue with ${PROVIDER_NAME}` })).toBeVisible();
  const response = await api.request.fetch(`/api/v1/realms/${realm.slug}/providers/${provider.id}`, {
    method: "PATCH",
    data: { enabled: false },
  });
  expect(response.ok()).toBe(true);
  await page.goto(demo.loginUrl());
  await expect(page.getByRole("link", { name: `Continue with ${PROVIDER_NAME}` })).toHaveCount(0);
  // The start URL itself refuses a disabled provider.
  await page.goto(`${PORTAL_URL}/${realm.slug}/login/social/upstream?client_id=${demo.app.id}`);
  await expect(alerts(page)).toHaveText("No such sign-in provider in this realm.");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the buttons, the provider and the link step work as plain links and forms", async ({
    page,
    api,
    realm,
    demo,
    user,
  }) => {
    await registerUpstream(api, realm);
    await page.goto(demo.loginUrl());
    await continueWithUpstream(page, `unverified:${user.email}`);
    await page.waitForURL(`${PORTAL_URL}/${realm.slug}/login/link`);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Link and continue" }).click();
    await expect(alerts(page)).toHaveText("Incorrect email or password.");
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Link and continue" }).click();
    const back = await expectSignedInAtApp(page, demo, user.email);
    const { payload } = await verifyLoginToken(tokenFrom(back), realm, demo.app);
    expect(payload.amr).toEqual(["pwd", "social:upstream"]);
  });
});
