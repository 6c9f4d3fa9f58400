import {
  alerts,
  expect,
  expectSignedInAtApp,
  PORTAL_URL,
  sessionCookie,
  submitSignup,
  test,
  tokenFrom,
  unique,
  verifyLoginToken,
} from "./fixtures";

test("signing up lands on the app with a verifiable token, signup=true and the state echoed", async ({
  page,
  context,
  api,
  realm,
  demo,
}) => {
  const email = `${unique("new-")}@example.com`;
  // A state with characters that must survive encoding both ways.
  const state = "st-42 &x=/?ü";
  await page.goto(demo.signupUrl({ state }));
  await expect(page.getByRole("heading", { name: `Create your ${demo.app.name} account` })).toBeVisible();

  await submitSignup(page, {
    firstName: "Grace",
    lastName: "Hopper",
    email,
    password: "correct horse battery",
  });

  // The demo app verified the token through JWKS over HTTP and shows who is signed in.
  const landed = await expectSignedInAtApp(page, demo, email);
  await expect(page.getByTestId("signup")).toBeVisible();
  await expect(page.getByTestId("state")).toHaveText(state);
  expect(landed.searchParams.get("signup")).toBe("true");
  expect(landed.searchParams.get("state")).toBe(state);

  // And the token verifies here too, with the contract's claims (DESIGN section 3).
  const token = tokenFrom(landed);
  const { payload, protectedHeader } = await verifyLoginToken(token, realm, demo.app);
  expect(protectedHeader.alg).toBe("RS256");
  expect(protectedHeader.kid).toEqual(expect.any(String));
  const jwks = (await (await fetch(`${PORTAL_URL}/${realm.slug}/connect/jwks`)).json()) as {
    keys: Array<{ kid: string }>;
  };
  expect(jwks.keys.map((k) => k.kid)).toContain(protectedHeader.kid);

  expect(payload.iss).toBe(`${PORTAL_URL}/${realm.slug}`);
  expect(payload.aud).toBe(demo.app.id);
  expect(payload.email).toBe(email);
  expect(payload.rid).toBe(realm.id);
  expect(payload.sub).toMatch(/^usr_/);
  expect(payload.sid).toMatch(/^ses_/);
  expect(payload.jti).toEqual(expect.any(String));
  expect(payload.given_name).toBe("Grace");
  expect(payload.family_name).toBe("Hopper");
  expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(15 * 60);
  expect(Math.abs((payload.iat ?? 0) - Date.now() / 1000)).toBeLessThan(120);

  // The app's view of the claims matches the token.
  await expect(page.locator('[data-claim="sub"]')).toHaveText(String(payload.sub));
  await expect(page.locator('[data-claim="email"]')).toHaveText(email);

  // The account exists, under the id the token names.
  const users = await api.listUsers(realm.slug);
  expect(users.find((u) => u.email === email)?.id).toBe(payload.sub);

  // The portal session cookie: per realm, HttpOnly, SameSite=Lax.
  const cookie = await sessionCookie(context, realm);
  expect(cookie, "session cookie").toBeDefined();
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe("Lax");
});

test("signing up with an email that already has an account shows an error and stays put", async ({
  page,
  realm,
  demo,
  user,
}) => {
  await page.goto(demo.signupUrl());
  await submitSignup(page, { email: user.email.toUpperCase(), password: "another long password" });
  await expect(alerts(page)).toHaveText("An account with this email already exists.");
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Email")).toHaveAccessibleDescription(
    "An account with this email already exists.",
  );
  expect(new URL(page.url()).pathname).toBe(`/${realm.slug}/signup`);
});
