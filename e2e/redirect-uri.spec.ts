import {
  alerts,
  expect,
  expectErrorPage,
  hostedUrl,
  logInThroughApp,
  PORTAL_URL,
  recordRequests,
  submitLogin,
  test,
} from "./fixtures";

const NOT_REGISTERED = "The address to return to after login is not registered for this application.";
const REGISTERED_ELSEWHERE = "https://app.example.com/callback";

/** Return addresses that must never be redirected to, for the demo app at `o` (port `p`). */
const FOREIGN: Array<[label: string, address: (o: string, p: number) => string]> = [
  ["another host", () => "https://evil.example/callback"],
  ["another port", (_o, p) => `http://localhost:${p + 1}/callback`],
  ["another scheme", (_o, p) => `https://localhost:${p}/callback`],
  ["a look-alike host (prefix trick)", () => "https://app.example.com.evil.com/callback"],
  ["a javascript: URL", () => "javascript:alert(1)"],
  ["a data: URL", () => "data:text/html,<script>alert(1)</script>"],
  ["userinfo naming the app", (_o, p) => `http://localhost:${p}@evil.com/`],
  ["userinfo in front of the app", (_o, p) => `http://evil.com@localhost:${p}/callback`],
  ["encoded dot segments", (o) => `${o}/callback/%2e%2e/x`],
  ["plain dot segments", (o) => `${o}/callback/../x`],
  ["a backslash", (_o, p) => `http://localhost:${p}\\@evil.com/callback`],
  ["a protocol-relative URL", () => "//evil.example/callback"],
  ["a different path", (o) => `${o}/other`],
  ["a longer path at no / boundary", (o) => `${o}/callbackx`],
  ["a sub-path (the app did not allow sub-paths)", (o) => `${o}/callback/deeper`],
  ["a fragment", (o) => `${o}/callback#x`],
  ["a different path on the other registered host", () => "https://app.example.com/other"],
];

for (const [label, address] of FOREIGN) {
  test(`foreign return address (${label}): error page, never a redirect, even with a live session`, async ({
    page,
    context,
    realm,
    startDemo,
    user,
  }) => {
    const demo = await startDemo({ extraRedirectUris: [REGISTERED_ELSEWHERE] });
    const foreign = address(demo.origin, Number(new URL(demo.origin).port));

    // A live session: for a registered address the portal would redirect at once (seamless SSO).
    await logInThroughApp(page, demo, user);
    const requests = recordRequests(context);

    for (const pageName of ["login", "signup"]) {
      const url = hostedUrl(realm.slug, pageName, {
        client_id: demo.app.id,
        redirect_uri: foreign,
        state: "s",
      });
      const response = await page.goto(url);
      expect(response?.url()).toBe(url);
      await expectErrorPage(page, NOT_REGISTERED);
      expect(page.url()).toBe(url);
    }
    // Nothing but the portal itself was ever asked for anything.
    expect(requests.filter((u) => !u.startsWith(`${PORTAL_URL}/`))).toEqual([]);

    // Control: the session was live, so the registered address does redirect straight away.
    await page.goto(demo.loginUrl());
    await expect(page).toHaveURL((u) => u.href.startsWith(`${demo.callback}?token=`));
  });
}

test("an app that allows sub-paths: deeper paths are accepted, tricks around the boundary are not", async ({
  page,
  api,
  realm,
}) => {
  const app = await api.createApp(realm.slug, {
    name: "Sub-path app",
    redirect_uris: ["https://sub.example.com/cb"],
    allow_subpaths: true,
  });
  const loginWith = (redirectUri: string) =>
    page.goto(hostedUrl(realm.slug, "login", { client_id: app.id, redirect_uri: redirectUri }));

  // Control: a real sub-path gets the form.
  await loginWith("https://sub.example.com/cb/deeper/still");
  await expect(page.getByLabel("Email")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Log in to Sub-path app" })).toBeVisible();

  for (const foreign of [
    "https://sub.example.com/cb/%2e%2e/admin",
    "https://sub.example.com/cb/%2E%2E%2Fadmin",
    "https://sub.example.com/cb/../admin",
    "https://sub.example.com/cb/./x",
    "https://sub.example.com/cbx",
    "https://sub.example.com/",
    "https://sub.example.com@evil.com/cb/x",
    "https://sub.example.com.evil.com/cb/x",
    "https://sub.example.com:444/cb/x",
    "http://sub.example.com/cb/x",
  ]) {
    await test.step(foreign, async () => {
      await loginWith(foreign);
      await expectErrorPage(page, NOT_REGISTERED);
    });
  }
});

test("a return address changed in the form's hidden field is checked again on submit", async ({
  page,
  context,
  realm,
  demo,
  user,
}) => {
  const requests = recordRequests(context);
  await page.goto(demo.loginUrl());
  const hidden = page.locator('input[type="hidden"][name="redirect_uri"]');
  await expect(hidden).toHaveValue(demo.callback);
  await hidden.evaluate((input: HTMLInputElement) => {
    input.value = "https://evil.example/callback";
  });

  await submitLogin(page, user.email, user.password);

  await expect(alerts(page)).toHaveText(NOT_REGISTERED);
  expect(new URL(page.url()).pathname).toBe(`/${realm.slug}/login`);
  expect(requests.filter((u) => !u.startsWith(`${PORTAL_URL}/`))).toEqual([]);
});
