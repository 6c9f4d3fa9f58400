import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { tables } from "@/lib/db";
import { completed, TEST_PUBLIC_URL, testRealm, testServices } from "@/test/db";

const ctx = { ip: "203.0.113.8", userAgent: "vitest" };
const password = "a-long-enough-password";

describe("login on the way to the profile (return_to=profile)", () => {
  it("lands on the realm's own profile page with a session and no token", async () => {
    const gh = await testServices();
    const { realm, app } = await testRealm(gh);
    await gh.users.create(realm, { email: "p@example.com", password });
    const bare = await gh.flows.entry(realm, { return_to: "profile" });
    const done = await gh.flows
      .loginWithPassword(realm, bare, { email: "p@example.com", password }, ctx)
      .then(completed);
    expect(done.redirectUrl).toBe(`${TEST_PUBLIC_URL}/${realm.slug}/profile`);
    expect(await gh.sessions.findLive(realm.id, done.sessionSecret)).toBeTruthy();

    const withBack = await gh.flows.entry(realm, {
      return_to: "profile",
      client_id: app.id,
      redirect_uri: "https://app.example/callback",
      state: "ignored",
    });
    const again = await gh.flows
      .loginWithPassword(realm, withBack, { email: "p@example.com", password }, ctx, done.sessionSecret)
      .then(completed);
    const url = new URL(again.redirectUrl);
    expect(url.origin + url.pathname).toBe(`${TEST_PUBLIC_URL}/${realm.slug}/profile`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: app.id,
      redirect_uri: "https://app.example/callback",
    });

    const logins = await gh.db
      .select()
      .from(tables.events)
      .where(and(eq(tables.events.realmId, realm.id), eq(tables.events.type, "user.login")));
    expect(logins.map((e) => [e.appId, e.data.return_to])).toEqual([
      [null, "profile"],
      [app.id, "profile"],
    ]);
  });

  it("with a live session goes straight to the profile, issuing no token and recording no SSO", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    const entry = await gh.flows.entry(realm, {});
    const done = await gh.flows
      .signup(realm, entry, { email: "s@example.com", password }, ctx)
      .then(completed);
    const profile = await gh.flows.entry(realm, { return_to: "profile" });
    expect(await gh.flows.seamless(realm, profile, done.sessionSecret, ctx)).toBe(
      `${TEST_PUBLIC_URL}/${realm.slug}/profile`,
    );
    expect(await gh.flows.seamless(realm, profile, "no-such-secret", ctx)).toBeNull();
    const sso = await gh.db
      .select()
      .from(tables.events)
      .where(and(eq(tables.events.realmId, realm.id), eq(tables.events.type, "session.sso")));
    expect(sso).toHaveLength(0);
  });
});
