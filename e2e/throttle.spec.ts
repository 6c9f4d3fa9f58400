import type { Page } from "@playwright/test";
import { alerts, expect, expectSignedInAtApp, submitLogin, submitSignup, test, unique } from "./fixtures";

const WRONG = "Incorrect email or password.";

/** Submits the login form and waits for the portal's answer to the post. */
async function loginAndWait(page: Page, email: string, password: string) {
  const answered = page.waitForResponse((r) => r.request().method() === "POST");
  await submitLogin(page, email, password);
  await answered;
}

test.describe("brute-force protection through the real portal", () => {
  // Every request of the browser claims other addresses; without trusted proxies (the e2e portal
  // runs with GATEHOUSE_TRUSTED_PROXIES unset) the portal must ignore both headers.
  test.use({
    extraHTTPHeaders: { "x-forwarded-for": "203.0.113.66", "x-gatehouse-client-ip": "198.51.100.99" },
  });

  test("a locked account answers like a wrong password, on the real address, until an admin clears it", async ({
    page,
    api,
    realm,
    demo,
    user,
  }) => {
    const settings = { login_lock_after_failures: 3, login_delay_after_failures: 50 };
    await api.updateRealmSettings(realm.slug, settings);

    await page.goto(demo.loginUrl());
    for (let i = 0; i < 3; i++) {
      await loginAndWait(page, user.email, `wrong-${i}`);
      await expect(alerts(page)).toHaveText(WRONG);
    }
    // Locked now: the right password gets exactly the wrong-password answer.
    await loginAndWait(page, user.email, user.password);
    await expect(alerts(page)).toHaveText(WRONG);
    expect(new URL(page.url()).pathname).toBe(`/${realm.slug}/login`);

    const lockUrl = `/api/v1/realms/${realm.slug}/users/${user.id}/lock`;
    const status = await (await api.request.get(lockUrl)).json();
    expect(status).toMatchObject({ object: "user_lock", locked: true });
    // The socket's address, not either forged header.
    expect(status.addresses).toEqual([
      { ip: "127.0.0.1", failures_this_hour: 3, locked_until: expect.any(String) },
    ]);

    expect((await api.request.delete(lockUrl)).status()).toBe(204);
    await submitLogin(page, user.email, user.password);
    await expectSignedInAtApp(page, demo, user.email);
  });
});

test("signups over the realm's hourly limit per address get a clear message and create nothing", async ({
  browser,
  api,
  realm,
  demo,
}) => {
  await api.updateRealmSettings(realm.slug, { signup_ip_per_hour: 1 });
  const password = "violet-harbor-tractor-91";

  const first = await browser.newContext();
  const firstPage = await first.newPage();
  const firstEmail = `${unique("first-")}@example.com`;
  await firstPage.goto(demo.signupUrl());
  await submitSignup(firstPage, { email: firstEmail, password });
  await expectSignedInAtApp(firstPage, demo, firstEmail);
  await first.close();

  const second = await browser.newContext();
  const page = await second.newPage();
  const secondEmail = `${unique("second-")}@example.com`;
  await page.goto(demo.signupUrl());
  await submitSignup(page, { email: secondEmail, password });
  await expect(alerts(page)).toHaveText("Too many attempts. Wait a while and try again.");
  await expect(page.getByLabel("Email")).toHaveValue(secondEmail);
  expect((await api.listUsers(realm.slug)).map((u) => u.email)).toEqual([firstEmail]);
  await second.close();
});
