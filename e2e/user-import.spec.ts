import { expect, expectSignedInAtApp, PORTAL_URL, submitLogin, test } from "./fixtures";
import { API_KEY } from "./settings";

// Known vectors (lib/passwords/*.test.ts): phc-winner-argon2's reference vector, and a
// Django-style PBKDF2-SHA256 hash computed with Python's hashlib.
const ARGON2 = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
const DJANGO = "pbkdf2_sha256$12000$Xs2Qn8UaTfRNkDMZ2a8gYk$VSo11V0WmLqOtHOzETG9vPrDt4InNXVWWwwxKL1Vx7A=";

test("a bulk import over 10 MB reaches its last row through the real server, and an imported user logs in", async ({
  page,
  request,
  realm,
  demo,
}) => {
  // Next.js cuts bodies at 10 MB on routes behind its proxy; this one must arrive whole.
  const padding = `${" ".repeat(8000)}\n`.repeat(1500); // ≈ 12 MB of blank lines (not rows)
  const body = [
    JSON.stringify({ email: "first@example.com", password_hash: ARGON2 }),
    JSON.stringify({ email: "bad@example.com", password_hash: "md5:5f4dcc3b5aa765d61d8327deb882cf99" }),
    padding,
    JSON.stringify({ email: "last@example.com", password_hash: DJANGO }),
  ].join("\n");
  expect(body.length).toBeGreaterThan(11 * 1024 * 1024);

  const response = await request.post(`${PORTAL_URL}/api/v1/realms/${realm.slug}/users/import`, {
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/x-ndjson" },
    data: body,
    timeout: 60_000,
  });
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("application/x-ndjson; charset=utf-8");
  expect(response.headers()["x-content-type-options"]).toBe("nosniff");
  const lines = (await response.text())
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  expect(lines.map((l) => [l.row, l.status])).toEqual([
    [1, "created"],
    [2, "error"],
    [3, "created"],
    [undefined, "done"],
  ]);
  expect(lines.at(-1)).toEqual({ status: "done", created: 2, failed: 1 });

  await page.goto(demo.loginUrl());
  await submitLogin(page, "last@example.com", "correct horse");
  await expectSignedInAtApp(page, demo, "last@example.com");
});

test("the import refuses other content types and bad keys like the rest of the API", async ({
  request,
  realm,
}) => {
  const url = `${PORTAL_URL}/api/v1/realms/${realm.slug}/users/import`;
  const json = await request.post(url, {
    headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
    data: '{"email":"a@example.com"}',
  });
  expect(json.status()).toBe(415);
  const unauthenticated = await request.post(url, {
    headers: { authorization: "Bearer ks_wrong", "content-type": "application/x-ndjson" },
    data: '{"email":"a@example.com"}',
  });
  expect(unauthenticated.status()).toBe(401);
  expect((await unauthenticated.json()).error.code).toBe("auth.invalid_api_key");
});
