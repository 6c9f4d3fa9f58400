import type { Page } from "@playwright/test";
import {
  alerts,
  expect,
  expectSignedInAtApp,
  PORTAL_URL,
  submitLogin,
  test,
  tokenFrom,
  unique,
  verifyLoginToken,
  waitForForm,
} from "./fixtures";

const NEW_PASSWORD = "violet-otter-harbour-42";
const SUBJECT = "Reset your";

/** Asks for a reset link on the forgot page the browser is on, like a person would. */
async function askForLink(page: Page, email: string) {
  await waitForForm(page);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("status")).toHaveText(
    `Check your email. If ${email} belongs to an account, we have sent it a link to choose a new password. The link works for 60 minutes.`,
  );
}

async function chooseNewPassword(page: Page, password: string) {
  await waitForForm(page);
  await page.getByLabel("New password").fill(password);
  await page.getByRole("button", { name: "Save password and continue" }).click();
}

async function expectDeadLink(page: Page, link: string) {
  await page.goto(link);
  await expect(
    page.getByRole("heading", { name: "This link has expired or was already used" }),
  ).toBeVisible();
  await expect(page.getByLabel("New password")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Ask for a new link" })).toBeVisible();
}

test("forgot → email → link → new password → back in the app with a token for that address; the link works once", async ({
  page,
  realm,
  demo,
  user,
  mail,
}) => {
  await page.goto(demo.loginUrl({ state: "st-reset" }));
  const forgot = page.getByRole("link", { name: "Forgot your password?" });
  const href = new URL((await forgot.getAttribute("href")) ?? "", PORTAL_URL);
  expect(href.pathname).toBe(`/${realm.slug}/forgot`);
  expect(Object.fromEntries(href.searchParams)).toEqual({
    client_id: demo.app.id,
    redirect_uri: demo.callback,
    state: "st-reset",
  });
  await forgot.click();
  await expect(page.getByRole("heading", { name: "Reset your password" })).toBeVisible();
  await askForLink(page, user.email);

  const link = await mail.linkIn({ to: user.email, subject: SUBJECT }, "/reset?token=");
  // Built from the realm's configured URL, carrying the secret and nothing else.
  const url = new URL(link);
  expect(`${url.origin}${url.pathname}`).toBe(`${PORTAL_URL}/${realm.slug}/reset`);
  expect([...url.searchParams.keys()]).toEqual(["token"]);

  await page.goto(link);
  // The secret left the address bar at once (a cookie scoped to /reset holds it).
  expect(page.url()).toBe(`${PORTAL_URL}/${realm.slug}/reset`);
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await expect(page.getByText(`Choose a new password for ${user.email}.`)).toBeVisible();

  // A password the policy refuses changes nothing and keeps the link.
  await chooseNewPassword(page, "short");
  await expect(alerts(page).filter({ hasText: "Use at least 8 characters." })).toBeVisible();
  await chooseNewPassword(page, NEW_PASSWORD);
  const landed = await expectSignedInAtApp(page, demo, user.email);
  expect(landed.searchParams.get("state")).toBe("st-reset");
  const { payload } = await verifyLoginToken(tokenFrom(landed), realm, demo.app);
  expect(payload).toMatchObject({ sub: user.id, email: user.email, email_verified: true });

  // The link is spent: following it again explains that, and changes nothing.
  await expectDeadLink(page, link);

  // The old password is gone; the new one logs in.
  await page.context().clearCookies();
  await page.goto(demo.loginUrl());
  await submitLogin(page, user.email, user.password);
  await expect(alerts(page)).toHaveText("Incorrect email or password.");
  await submitLogin(page, user.email, NEW_PASSWORD);
  await expectSignedInAtApp(page, demo, user.email);
});

test("an address without an account gets the very same answer, and no email", async ({
  page,
  demo,
  user,
  mail,
}) => {
  const nobody = `${unique("nobody-")}@example.com`;
  const forgotUrl = demo.loginUrl().replace("/login?", "/forgot?");
  await page.goto(forgotUrl);
  await askForLink(page, nobody);
  await page.goto(forgotUrl);
  await askForLink(page, user.email);
  await mail.waitFor({ to: user.email, subject: SUBJECT });
  expect(await mail.list({ to: nobody })).toEqual([]);
});

test("without JavaScript: forgot, the emailed link, a new password, and back in the app", async ({
  browser,
  realm,
  demo,
  user,
  mail,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(demo.loginUrl({ state: "no-js" }));
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await askForLink(page, user.email);
  const link = await mail.linkIn({ to: user.email, subject: SUBJECT }, "/reset?token=");
  await page.goto(link);
  expect(page.url()).toBe(`${PORTAL_URL}/${realm.slug}/reset`);
  await chooseNewPassword(page, "short");
  await expect(page.getByLabel("New password")).toHaveAttribute("aria-invalid", "true");
  await chooseNewPassword(page, NEW_PASSWORD);
  const landed = await expectSignedInAtApp(page, demo, user.email);
  expect(landed.searchParams.get("state")).toBe("no-js");
  await expectDeadLink(page, link);
  await context.close();
});

test("the link's landing answers 303 to the clean address with no Referer, the secret in an HttpOnly cookie of this realm's reset page", async ({
  page,
  realm,
}) => {
  const secret = "A".repeat(43);
  const response = await page.request.get(`/${realm.slug}/reset?token=${secret}`, { maxRedirects: 0 });
  expect(response.status()).toBe(303);
  const headers = response.headers();
  // The clean address, built from PUBLIC_URL (or relative), never from the request's Host header.
  expect(new URL(headers.location ?? "", PORTAL_URL).href).toBe(`${PORTAL_URL}/${realm.slug}/reset`);
  const spoofed = await page.request.get(`/${realm.slug}/reset?token=${secret}`, {
    maxRedirects: 0,
    headers: { host: "evil.example", "x-forwarded-host": "evil.example" },
  });
  expect(spoofed.headers().location).not.toContain("evil.example");
  expect(headers["referrer-policy"]).toBe("no-referrer");
  expect(headers["cache-control"]).toBe("no-store");
  const cookie = headers["set-cookie"] ?? "";
  expect(cookie).toContain(`gh_link_reset_${realm.slug}=${secret}`);
  expect(cookie).toMatch(/Path=\/(;|$)/);
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=lax/i);

  // A secret nobody issued: the page says the link is dead.
  await expectDeadLink(page, `/${realm.slug}/reset?token=${secret}`);
  expect(page.url()).toBe(`${PORTAL_URL}/${realm.slug}/reset`);
});
