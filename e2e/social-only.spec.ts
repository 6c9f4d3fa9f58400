import { alerts, expect, expectNoSeriousViolations, hostedUrl, submitLogin, test } from "./fixtures";

const REFUSAL =
  "This site does not use passwords. Continue with one of the sign-in options on the login page.";

test.describe("a social-only realm (password_login: false)", () => {
  test("without any provider: no password form anywhere, and the login page says no sign-in method is set up", async ({
    page,
    api,
    realm,
    demo,
  }) => {
    await api.updateRealmSettings(realm.slug, { password_login: false });

    await page.goto(demo.loginUrl());
    await expect(page.getByText("No way to sign in is set up here yet.")).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveCount(0);
    await expect(page.getByLabel("Password")).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Forgot your password?" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Create an account" })).toHaveCount(0);
    await expectNoSeriousViolations(page);

    await page.goto(demo.signupUrl());
    await expect(page.getByLabel("Password")).toHaveCount(0);
    await expect(page.getByText("No way to sign in is set up here yet.")).toBeVisible();

    for (const path of ["forgot", "reset"]) {
      await page.goto(hostedUrl(realm.slug, path));
      await expect(page.getByRole("heading", { name: "Passwords are not used here" })).toBeVisible();
      await expect(alerts(page)).toHaveText(REFUSAL);
      await expect(page.getByLabel("Email")).toHaveCount(0);
      await expect(page.getByLabel("New password")).toHaveCount(0);
    }
    await expectNoSeriousViolations(page);
  });

  for (const javaScriptEnabled of [true, false]) {
    test(`a password form loaded before the switch is refused with the message (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async ({
      browser,
      api,
      realm,
      demo,
      user,
    }) => {
      const context = await browser.newContext({ javaScriptEnabled });
      const page = await context.newPage();
      await page.goto(demo.loginUrl({ state: "st-so" }));
      await api.updateRealmSettings(realm.slug, { password_login: false });
      // The right password, posted to a realm that no longer takes passwords.
      await submitLogin(page, user.email, user.password);
      await page.waitForURL((url) => url.searchParams.get("error") === "auth.password_login_disabled");
      expect(page.url()).not.toContain("token=");
      expect(new URL(page.url()).searchParams.get("state")).toBe("st-so");
      await expect(alerts(page)).toHaveText(REFUSAL);
      await expect(page.getByLabel("Password")).toHaveCount(0);
      await context.close();
    });
  }

  test("with providers: only their buttons, in order, enabled ones only, carrying the login's parameters", async ({
    page,
    api,
    realm,
    demo,
  }) => {
    const create = (body: Record<string, unknown>) =>
      api.request.post(`/api/v1/realms/${realm.slug}/providers`, { data: body });
    const probe = await create({
      kind: "github",
      client_id: "e2e-gh",
      client_secret: "e2e-secret",
      position: 1,
    });
    expect(probe.ok()).toBe(true);
    expect((await create({ kind: "google", client_id: "e2e-g", client_secret: "s", position: 0 })).ok()).toBe(
      true,
    );
    expect(
      (await create({ kind: "slack", client_id: "e2e-s", client_secret: "s", enabled: false })).ok(),
    ).toBe(true);
    await api.updateRealmSettings(realm.slug, { password_login: false });

    await page.goto(demo.loginUrl({ state: "st-btn" }));
    const buttons = page.getByRole("main").getByRole("link", { name: /^Continue with / });
    await expect(buttons).toHaveText(["Continue with Google", "Continue with GitHub"]);
    const href = new URL((await buttons.nth(1).getAttribute("href")) ?? "", page.url());
    expect(href.pathname).toBe(`/${realm.slug}/login/social/github`);
    expect(href.searchParams.get("state")).toBe("st-btn");
    expect(href.searchParams.get("client_id")).toBe(demo.app.id);
    await expect(page.getByLabel("Password")).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Forgot your password?" })).toHaveCount(0);
    await expectNoSeriousViolations(page);

    await page.goto(demo.signupUrl());
    await expect(buttons).toHaveText(["Continue with Google", "Continue with GitHub"]);
    await expect(page.getByLabel("Password")).toHaveCount(0);
  });
});
