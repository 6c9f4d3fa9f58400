import type { ConsoleMessage } from "@playwright/test";
import { expect, expectSignedInAtApp, submitLogin, test, waitForForm } from "./fixtures";

function nonceOf(csp: string): string {
  const match = /script-src[^;]*'nonce-([A-Za-z0-9+/=_-]+)'/.exec(csp);
  if (!match?.[1]) throw new Error(`no script nonce in CSP: ${csp}`);
  return match[1];
}

test("the login page is sent with a nonce-based CSP, no framing, nosniff and no referrer to other origins", async ({
  page,
  request,
  demo,
}) => {
  const response = await page.goto(demo.loginUrl());
  if (!response) throw new Error("no response");
  const headers = response.headers();
  const csp = headers["content-security-policy"] ?? "";
  const directives = new Map(
    csp.split(";").map((d) => {
      const [name = "", ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );
  const nonce = nonceOf(csp);
  expect(nonce.length).toBeGreaterThanOrEqual(16);
  expect(directives.get("script-src")).toContain(`'nonce-${nonce}'`);
  expect(directives.get("script-src")).not.toContain("'unsafe-inline'");
  expect(directives.get("script-src")).not.toContain("'unsafe-eval'");
  expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
  expect(directives.get("object-src")).toEqual(["'none'"]);
  expect(directives.get("base-uri")).toEqual(["'none'"]);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  // The login URL carries the app's return address and state: none of it may reach other origins.
  // No referrer leaves the portal (DESIGN section 6); same-origin rather than no-referrer because
  // under no-referrer Chromium posts no-JS forms with `Origin: null`, which Next.js refuses.
  expect(headers["referrer-policy"]).toBe("same-origin");

  // Every script of the page carries this response's nonce (`nonce` is hidden from getAttribute).
  const scriptNonces = await page
    .locator("script")
    .evaluateAll((els) => els.map((s) => (s as HTMLScriptElement).nonce));
  expect(scriptNonces.length).toBeGreaterThan(0);
  expect(new Set(scriptNonces)).toEqual(new Set([nonce]));

  // A new nonce per response.
  const again = await request.get(demo.loginUrl());
  expect(nonceOf(again.headers()["content-security-policy"] ?? "")).not.toBe(nonce);
});

test("a JavaScript login runs without a single CSP violation", async ({ page, demo, user }) => {
  const violations: string[] = [];
  const record = (message: ConsoleMessage) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  };
  page.on("console", record);
  await page.goto(demo.loginUrl());
  await waitForForm(page);
  // The form is hydrated (client validation answers), so the page's scripts did run.
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");

  await submitLogin(page, user.email, "wrong-password");
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Incorrect email or password.");
  await submitLogin(page, user.email, user.password);
  await expectSignedInAtApp(page, demo, user.email);
  expect(violations).toEqual([]);
});

test("the CSP blocks an injected inline handler, and the browser reports it (so the check above can fail)", async ({
  page,
  demo,
}) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto(demo.loginUrl());
  // What an HTML injection would look like: markup with an inline event handler.
  const ran = await page.evaluate(async () => {
    const w = window as unknown as { injected?: boolean };
    document.body.insertAdjacentHTML(
      "beforeend",
      '<img alt="" src="/no-such-image.png" onerror="window.injected = true">',
    );
    await new Promise((r) => setTimeout(r, 500));
    return w.injected === true;
  });
  expect(ran).toBe(false);
  await expect.poll(() => violations.length).toBeGreaterThan(0);
});

test("the login page cannot be framed, while an ordinary page can", async ({ page, demo }) => {
  await page.goto(`${demo.origin}/`);
  const frameIn = (src: string, title: string) =>
    page.evaluate(
      ({ src, title }) => {
        const frame = document.createElement("iframe");
        frame.src = src;
        frame.title = title;
        document.body.append(frame);
      },
      { src, title },
    );
  // Control: the demo app's own page frames fine, so a blocked login page means blocked by the portal.
  await frameIn(`${demo.origin}/`, "framed demo");
  await expect(
    page.frameLocator('iframe[title="framed demo"]').getByRole("heading", { name: "Demo App" }),
  ).toBeVisible();

  const blocked = page.waitForEvent("console", (m) => /frame-ancestors|X-Frame-Options/i.test(m.text()));
  await frameIn(demo.loginUrl(), "framed login");
  await blocked;
  await expect(page.frameLocator('iframe[title="framed login"]').getByLabel("Email")).toHaveCount(0);
});

test("the public JWKS sets no cookie (it is cacheable by shared caches) and carries no page CSP", async ({
  request,
  realm,
}) => {
  const response = await request.get(`/${realm.slug}/connect/jwks`);
  expect(response.status()).toBe(200);
  expect(response.headers()["cache-control"]).toContain("public");
  expect(response.headers()["set-cookie"]).toBeUndefined();
  expect(response.headers()["content-security-policy"]).toBeUndefined();
  // Control: a hosted page does set the CSRF cookie, so the check above can fail.
  const page = await request.get(`/${realm.slug}/login`);
  expect(page.headers()["set-cookie"] ?? "").toMatch(/gh_csrf=/);
});
