import { and, eq } from "drizzle-orm";
import { createLocalJWKSet, decodeJwt, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { fixedClock } from "@/lib/clock";
import { tables } from "@/lib/db";
import type { Services } from "@/lib/services";
import { completed, TEST_PUBLIC_URL, testRealm, testServices } from "@/test/db";

const ctx = { ip: "203.0.113.7", userAgent: "vitest" };
const password = "a-long-enough-password";

async function verify(gh: Services, realmId: string, url: string, appId: string, slug: string) {
  const token = new URL(url).searchParams.get("token");
  if (!token) throw new Error(`no token in ${url}`);
  const { payload, protectedHeader } = await jwtVerify(
    token,
    createLocalJWKSet(await gh.keys.jwks(realmId)),
    {
      issuer: `${TEST_PUBLIC_URL}/${slug}`,
      audience: appId,
      algorithms: ["RS256"],
    },
  );
  return { payload, protectedHeader };
}

async function eventsOf(gh: Services, realmId: string) {
  return gh.db
    .select()
    .from(tables.events)
    .where(eq(tables.events.realmId, realmId))
    .orderBy(tables.events.id);
}

describe("login flows (database)", () => {
  it("signs up, returns to the app with a verifiable token, echoes state and marks signup", async () => {
    const gh = await testServices();
    const { realm, app } = await testRealm(gh);
    const entry = await gh.flows.entry(realm, { state: "xyz", redirect_uri: "https://app.example/callback" });
    const done = await gh.flows
      .signup(realm, entry, { email: " New@Example.COM ", password, first_name: "Ada", last_name: "L" }, ctx)
      .then(completed);

    const url = new URL(done.redirectUrl);
    expect(url.origin + url.pathname).toBe("https://app.example/callback");
    expect(url.searchParams.get("state")).toBe("xyz");
    expect(url.searchParams.get("signup")).toBe("true");
    const { payload, protectedHeader } = await verify(gh, realm.id, done.redirectUrl, app.id, realm.slug);
    expect(protectedHeader.kid).toMatch(/^key_/);
    expect(payload).toMatchObject({
      email: "new@example.com",
      email_verified: false,
      name: "Ada L",
      given_name: "Ada",
      family_name: "L",
      preferred_username: "new@example.com",
      rid: realm.id,
      sid: done.session.id,
      amr: ["pwd"],
    });
    expect(payload.sub).toMatch(/^usr_/);
    expect(payload.jti).toBeTruthy();
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(15 * 60);

    const types = (await eventsOf(gh, realm.id)).map((e) => e.type);
    expect(types).toContain("user.signup");
  });

  it("logs in with any case of the email; wrong password, unknown user and no-password user fail alike", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    await gh.users.create(realm, { email: "ann@example.com", password });
    await gh.users.create(realm, { email: "nopw@example.com" });
    const entry = await gh.flows.entry(realm, {});

    const ok = await gh.flows.loginWithPassword(realm, entry, { email: "ANN@example.com", password }, ctx);
    expect(new URL(ok.redirectUrl).searchParams.get("signup")).toBeNull();

    const attempts = [
      { email: "ann@example.com", password: "wrong-password-1" },
      { email: "nobody@example.com", password },
      { email: "nopw@example.com", password },
    ];
    for (const attempt of attempts) {
      await expect(gh.flows.loginWithPassword(realm, entry, attempt, ctx)).rejects.toMatchObject({
        code: "auth.invalid_credentials",
        status: 401,
        fields: [],
      });
    }
    const failed = (await eventsOf(gh, realm.id)).filter((e) => e.type === "user.login_failed");
    expect(failed.map((e) => e.data.reason)).toEqual(["wrong_password", "unknown_user", "no_password"]);
    expect(failed[0]?.ip).toBe("203.0.113.7");
  });

  it("refuses malformed input with field errors before touching any account", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    const entry = await gh.flows.entry(realm, {});
    await expect(
      gh.flows.loginWithPassword(realm, entry, { email: "not-an-email", password: "" }, ctx),
    ).rejects.toMatchObject({ code: "validation.failed", status: 422 });
    await expect(
      gh.flows.signup(realm, entry, { email: "a@example.com", password: "short" }, ctx),
    ).rejects.toMatchObject({
      fields: [
        { field: "password", code: "password.too_short" },
        { field: "password", code: "password.too_common" },
      ],
    });
    await expect(
      gh.flows.signup(realm, entry, { email: `${"a".repeat(300)}@example.com`, password }, ctx),
    ).rejects.toMatchObject({ fields: [{ field: "email", code: "field.too_long" }] });
    expect((await gh.users.list(realm.id, { limit: 10 })).data).toHaveLength(0);
  });

  it("a second signup with the same address (any case) is refused and creates nothing", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    const entry = await gh.flows.entry(realm, {});
    await gh.flows.signup(realm, entry, { email: "dup@example.com", password }, ctx);
    await expect(
      gh.flows.signup(realm, entry, { email: "DUP@example.com", password }, ctx),
    ).rejects.toMatchObject({
      code: "user.email_taken",
      status: 409,
    });
    expect((await gh.users.list(realm.id, { limit: 10 })).data).toHaveLength(1);
  });

  it("refuses signup when the realm's signup mode is closed", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh, { signup_mode: "closed" });
    const entry = await gh.flows.entry(realm, {});
    await expect(
      gh.flows.signup(realm, entry, { email: "x@example.com", password }, ctx),
    ).rejects.toMatchObject({
      code: "signup.closed",
    });
  });

  it("every login gets a new session id and ends the browser's previous session", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    await gh.users.create(realm, { email: "s@example.com", password });
    const entry = await gh.flows.entry(realm, {});
    const first = completed(
      await gh.flows.loginWithPassword(realm, entry, { email: "s@example.com", password }, ctx),
    );
    const second = completed(
      await gh.flows.loginWithPassword(
        realm,
        entry,
        { email: "s@example.com", password },
        ctx,
        first.sessionSecret,
      ),
    );
    expect(second.session.id).not.toBe(first.session.id);
    expect(second.sessionSecret).not.toBe(first.sessionSecret);
    expect(await gh.sessions.findLive(realm.id, first.sessionSecret)).toBeNull();
    expect((await gh.sessions.findLive(realm.id, second.sessionSecret))?.id).toBe(second.session.id);
  });

  it("stores only a hash of the session secret", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    const entry = await gh.flows.entry(realm, {});
    const done = await gh.flows
      .signup(realm, entry, { email: "h@example.com", password }, ctx)
      .then(completed);
    const [row] = await gh.db
      .select()
      .from(tables.sessions)
      .where(and(eq(tables.sessions.realmId, realm.id), eq(tables.sessions.id, done.session.id)));
    expect(row?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(done.sessionSecret);
  });

  it("seamless SSO issues a fresh token from a live session, not with prompt=login, not after logout", async () => {
    const gh = await testServices();
    const { realm, app } = await testRealm(gh);
    const entry = await gh.flows.entry(realm, { state: "s1" });
    const done = await gh.flows
      .signup(realm, entry, { email: "sso@example.com", password }, ctx)
      .then(completed);

    const again = await gh.flows.seamless(
      realm,
      await gh.flows.entry(realm, { state: "s2" }),
      done.sessionSecret,
      ctx,
    );
    expect(again).toBeTruthy();
    const first = decodeJwt(new URL(done.redirectUrl).searchParams.get("token") ?? "");
    const { payload } = await verify(gh, realm.id, again as string, app.id, realm.slug);
    expect(payload.jti).not.toBe(first.jti);
    expect(payload.sid).toBe(done.session.id);
    // auth_time says when the user last proved who they are: an SSO token keeps the login's time.
    expect(first.auth_time).toBe(Math.floor(done.session.createdAt.getTime() / 1000));
    expect(payload.auth_time).toBe(first.auth_time);
    expect(new URL(again as string).searchParams.get("state")).toBe("s2");

    expect(
      await gh.flows.seamless(
        realm,
        await gh.flows.entry(realm, { prompt: "login" }),
        done.sessionSecret,
        ctx,
      ),
    ).toBeNull();
    expect(await gh.flows.seamless(realm, entry, "not-a-session", ctx)).toBeNull();

    const target = await gh.flows.logoutTarget(realm, {
      redirect_uri: "https://app.example/callback",
      state: "bye",
    });
    expect(target).toBe("https://app.example/callback?state=bye");
    expect((await gh.flows.logout(realm, done.sessionSecret, ctx))?.id).toBe(done.session.id);
    expect(await gh.flows.logout(realm, done.sessionSecret, ctx)).toBeNull();
    expect(await gh.flows.seamless(realm, entry, done.sessionSecret, ctx)).toBeNull();
    const types = (await eventsOf(gh, realm.id)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["user.signup", "session.sso", "user.logout"]));
  });

  it("logout with an unregistered return address goes to the login page instead", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    const target = await gh.flows.logoutTarget(realm, { redirect_uri: "https://evil.example/" });
    expect(target).toBe(`${TEST_PUBLIC_URL}/${realm.slug}/login`);
  });

  it("accepts as logout proof only a token of this realm for this very session, even if expired", async () => {
    const clock = fixedClock("2026-01-01T00:00:00Z");
    const gh = await testServices({ clock });
    const { realm } = await testRealm(gh);
    const other = await testRealm(gh);
    const entry = await gh.flows.entry(realm, {});
    const a = await gh.flows.signup(realm, entry, { email: "a@example.com", password }, ctx).then(completed);
    const b = await gh.flows.signup(realm, entry, { email: "b@example.com", password }, ctx).then(completed);
    const tokenA = new URL(a.redirectUrl).searchParams.get("token") ?? "";
    clock.advance(60 * 60_000); // the token has expired; as a logout hint it still counts
    expect(await gh.flows.logoutHintMatches(realm, tokenA, a.session.id)).toBe(true);
    expect(await gh.flows.logoutHintMatches(realm, tokenA, b.session.id)).toBe(false);
    expect(await gh.flows.logoutHintMatches(other.realm, tokenA, a.session.id)).toBe(false);
    const [head, body] = tokenA.split(".");
    const forged = `${head}.${body}.${"A".repeat(342)}`;
    expect(await gh.flows.logoutHintMatches(realm, forged, a.session.id)).toBe(false);
    expect(await gh.flows.logoutHintMatches(realm, "garbage", a.session.id)).toBe(false);
    expect(await gh.flows.logoutHintMatches(realm, undefined, a.session.id)).toBe(false);
  });

  it("a new login clears the user's expired session rows, and only theirs", async () => {
    const clock = fixedClock("2026-01-01T00:00:00Z");
    const gh = await testServices({ clock });
    const { realm } = await testRealm(gh, { session_minutes: 10 });
    const entry = await gh.flows.entry(realm, {});
    const first = await gh.flows
      .signup(realm, entry, { email: "p@example.com", password }, ctx)
      .then(completed);
    const other = await gh.flows
      .signup(realm, entry, { email: "q@example.com", password }, ctx)
      .then(completed);
    clock.advance(11 * 60_000);
    await gh.flows.loginWithPassword(realm, entry, { email: "p@example.com", password }, ctx);
    const rows = await gh.db.select().from(tables.sessions).where(eq(tables.sessions.realmId, realm.id));
    const ids = rows.map((r) => r.id);
    expect(ids).not.toContain(first.session.id);
    expect(ids).toContain(other.session.id); // expired too, but another user's: left for their next login
    expect(rows.filter((r) => r.userId === first.session.userId)).toHaveLength(1);
  });

  it("a token never outlives its session", async () => {
    const clock = fixedClock("2026-01-01T00:00:00Z");
    const gh = await testServices({ clock });
    const { realm, app } = await testRealm(gh, { session_minutes: 10, token_minutes: 60 });
    const entry = await gh.flows.entry(realm, {});
    const done = await gh.flows
      .signup(realm, entry, { email: "t@example.com", password }, ctx)
      .then(completed);
    const payload = decodeJwt(new URL(done.redirectUrl).searchParams.get("token") ?? "");
    expect(payload.aud).toBe(app.id);
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(10 * 60);
    clock.advance(11 * 60_000);
    expect(await gh.sessions.findLive(realm.id, done.sessionSecret)).toBeNull();
  });

  it("re-hashes transparently when the realm's bcrypt cost changed", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    const user = await gh.users.create(realm, { email: "r@example.com", password });
    const updated = await gh.realms.update(realm.id, { settings: { bcrypt_cost: 5 } });
    const entry = await gh.flows.entry(updated, {});
    await gh.flows.loginWithPassword(updated, entry, { email: "r@example.com", password }, ctx);
    const [cred] = await gh.db
      .select()
      .from(tables.passwordCredentials)
      .where(
        and(eq(tables.passwordCredentials.realmId, realm.id), eq(tables.passwordCredentials.userId, user.id)),
      );
    expect(cred?.hash).toMatch(/^\$2b\$05\$/);
  });

  it("validates the app and return address of every entry", async () => {
    const gh = await testServices();
    const { realm, app } = await testRealm(gh);
    await expect(
      gh.flows.entry(realm, { redirect_uri: "https://evil.example/callback" }),
    ).rejects.toMatchObject({
      code: "redirect_uri.invalid",
    });
    await expect(gh.flows.entry(realm, { client_id: "app_nope" })).rejects.toMatchObject({
      code: "app.not_found",
    });
    await gh.apps.create(realm.id, { name: "Second", redirect_uris: ["https://two.example/cb"] });
    await expect(gh.flows.entry(realm, {})).rejects.toMatchObject({ code: "app.ambiguous" });
    const entry = await gh.flows.entry(realm, { client_id: app.id });
    expect(entry.redirectUri).toBe("https://app.example/callback");
  });

  it("keeps realms apart: users, sessions and apps of one realm mean nothing in another", async () => {
    const gh = await testServices();
    const a = await testRealm(gh);
    const b = await testRealm(gh);
    const entryA = await gh.flows.entry(a.realm, {});
    const done = await gh.flows
      .signup(a.realm, entryA, { email: "iso@example.com", password }, ctx)
      .then(completed);
    const entryB = await gh.flows.entry(b.realm, {});
    await expect(
      gh.flows.loginWithPassword(b.realm, entryB, { email: "iso@example.com", password }, ctx),
    ).rejects.toMatchObject({ code: "auth.invalid_credentials" });
    expect(await gh.flows.seamless(b.realm, entryB, done.sessionSecret, ctx)).toBeNull();
    await expect(gh.flows.entry(b.realm, { client_id: a.app.id })).rejects.toMatchObject({
      code: "app.not_found",
    });
    await expect(gh.users.get(b.realm.id, done.session.userId)).rejects.toMatchObject({
      code: "user.not_found",
    });
    await expect(gh.users.delete(b.realm.id, done.session.userId)).rejects.toMatchObject({
      code: "user.not_found",
    });
    expect((await gh.users.get(a.realm.id, done.session.userId)).email).toBe("iso@example.com");
  });
});
