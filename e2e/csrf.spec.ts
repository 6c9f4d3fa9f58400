import { request as playwrightRequest } from "@playwright/test";
import { type DemoApp, expect, PORTAL_URL, test, type UserInfo } from "./fixtures";

/**
 * Login CSRF: an attacker who holds a copy of the login form (every hidden field, including the
 * CSRF token of some browser) posts it from elsewhere. Only a request that carries the matching
 * HttpOnly cookie may log in. The posts below are made outside any browser, with an Origin header
 * that passes Next.js's own origin check, so that what is tested is the portal's CSRF token.
 */
type Answer = { status: number; headers: Record<string, string>; text: string };

test.describe("login form CSRF protection", () => {
  async function takeForm(page: import("@playwright/test").Page, demo: DemoApp) {
    await page.goto(demo.loginUrl({ state: "csrf" }));
    const fields = await page
      .locator('form[data-slot="login-form"] input')
      .evaluateAll((inputs) =>
        inputs.map((i) => [(i as HTMLInputElement).name, (i as HTMLInputElement).value]),
      );
    const csrfCookie = (await page.context().cookies(PORTAL_URL)).find((c) => c.name === "gh_csrf");
    if (!csrfCookie) throw new Error("no CSRF cookie");
    return { fields: Object.fromEntries(fields) as Record<string, string>, csrfCookie: csrfCookie.value };
  }

  async function post(
    demo: DemoApp,
    user: UserInfo,
    fields: Record<string, string>,
    cookie?: string,
  ): Promise<Answer> {
    const client = await playwrightRequest.newContext({ baseURL: PORTAL_URL });
    try {
      const response = await client.post(demo.loginUrl({ state: "csrf" }), {
        multipart: { ...fields, email: user.email, password: user.password },
        headers: { origin: PORTAL_URL, ...(cookie ? { cookie } : {}) },
        maxRedirects: 0,
      });
      return { status: response.status(), headers: response.headers(), text: await response.text() };
    } finally {
      await client.dispose();
    }
  }

  async function expectRefused(response: Answer, demo: DemoApp) {
    expect(response.status).not.toBe(303);
    expect(response.headers.location ?? "").not.toContain(demo.origin);
    expect(response.headers["set-cookie"] ?? "").not.toContain("gh_session_");
    expect(response.text).toContain("This form has expired. Reload the page and try again.");
  }

  test("the copied form without the browser's CSRF cookie does not log in", async ({ page, demo, user }) => {
    const { fields } = await takeForm(page, demo);
    expect(fields.csrf_token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    await expectRefused(await post(demo, user, fields), demo);
  });

  test("the attacker's own CSRF cookie does not match the copied form", async ({
    page,
    browser,
    demo,
    user,
  }) => {
    const victim = await takeForm(page, demo);
    const attackerContext = await browser.newContext();
    const attacker = await takeForm(await attackerContext.newPage(), demo);
    await attackerContext.close();
    expect(attacker.csrfCookie).not.toBe(victim.csrfCookie);
    await expectRefused(await post(demo, user, victim.fields, `gh_csrf=${attacker.csrfCookie}`), demo);
  });

  test("the cookie without the form's token field does not log in", async ({ page, demo, user }) => {
    const { fields, csrfCookie } = await takeForm(page, demo);
    const { csrf_token: _dropped, ...withoutToken } = fields;
    await expectRefused(await post(demo, user, withoutToken, `gh_csrf=${csrfCookie}`), demo);
  });

  test("control: the same post with the matching cookie does log in (so the refusals above mean something)", async ({
    page,
    demo,
    user,
  }) => {
    const { fields, csrfCookie } = await takeForm(page, demo);
    const response = await post(demo, user, fields, `gh_csrf=${csrfCookie}`);
    expect(response.status).toBe(303);
    const location = new URL(response.headers.location ?? "", PORTAL_URL);
    expect(location.href.startsWith(`${demo.callback}?`)).toBe(true);
    expect(location.searchParams.get("token")).toBeTruthy();
    expect(location.searchParams.get("state")).toBe("csrf");
  });
});
