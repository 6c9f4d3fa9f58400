import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { tables } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { completed, testRealm, testServices } from "@/test/db";

const ctx = { ip: "203.0.113.9", userAgent: "vitest" };
const password = "violet-tractor-harbor-58";

/** Settles every promise and sorts the outcomes: users made, and error codes of the losers. */
async function outcomes<T>(attempts: Array<Promise<T>>) {
  const settled = await Promise.allSettled(attempts);
  const won = settled.filter((s) => s.status === "fulfilled");
  const lost = settled.flatMap((s) => {
    if (s.status === "fulfilled") return [];
    // A bare error (a 500) would fail the test here instead of passing as a "loss".
    if (!isAppError(s.reason)) throw s.reason;
    return [{ code: s.reason.code, status: s.reason.status, fields: s.reason.fields }];
  });
  return { won, lost };
}

describe("usernames (database)", () => {
  it("stores a normalised username in separate mode and logs in with either identifier", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh, { username_mode: "separate" });
    const user = await gh.users.create(realm, {
      email: "Grace@Example.com",
      username: " Ｇrace.H ",
      password,
    });
    expect(user).toMatchObject({ email: "grace@example.com", username: "grace.h" });

    const entry = await gh.flows.entry(realm, {});
    for (const identifier of [
      "grace.h",
      "GRACE.H",
      "Ｇｒａｃｅ.ｈ",
      "grace@example.com",
      " Grace@EXAMPLE.com",
    ]) {
      const done = completed(
        await gh.flows.loginWithPassword(realm, entry, { email: identifier, password }, ctx),
      );
      expect(done.session.userId, identifier).toBe(user.id);
    }
    // The token names the user by their username.
    const done = await gh.flows.loginWithPassword(realm, entry, { email: "grace.h", password }, ctx);
    const token = new URL(done.redirectUrl).searchParams.get("token") ?? "";
    expect(JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString())).toMatchObject({
      preferred_username: "grace.h",
      email: "grace@example.com",
    });
  });

  it("answers an unknown username, a wrong password and a user without password alike", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh, { username_mode: "separate" });
    await gh.users.create(realm, { email: "ann@example.com", username: "ann", password });
    await gh.users.create(realm, { email: "nopw@example.com", username: "nopw" });
    const entry = await gh.flows.entry(realm, {});
    const attempts = [
      { email: "ann", password: "wrong-password-1" },
      { email: "nobody", password },
      { email: "nopw", password },
    ];
    for (const attempt of attempts) {
      await expect(gh.flows.loginWithPassword(realm, entry, attempt, ctx)).rejects.toMatchObject({
        code: "auth.invalid_credentials",
        status: 401,
        fields: [],
      });
    }
    const failed = await gh.db
      .select()
      .from(tables.events)
      .where(and(eq(tables.events.realmId, realm.id), eq(tables.events.type, "user.login_failed")))
      .orderBy(tables.events.id);
    expect(failed.map((e) => e.data.reason)).toEqual(["wrong_password", "unknown_user", "no_password"]);
  });

  it("keeps usernames unique per realm in any case or Unicode form, but not across realms", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh, { username_mode: "separate" });
    const other = await testRealm(gh, { username_mode: "separate" });
    await gh.users.create(realm, { email: "a@example.com", username: "alice" });
    await expect(
      gh.users.create(realm, { email: "b@example.com", username: "ＡＬＩＣＥ" }),
    ).rejects.toMatchObject({
      code: "user.username_taken",
      status: 409,
      fields: [{ field: "username", code: "user.username_taken" }],
    });
    expect((await gh.users.list(realm.id, { limit: 10 })).data).toHaveLength(1);
    // Another realm is another namespace.
    const elsewhere = await gh.users.create(other.realm, { email: "b@example.com", username: "alice" });
    expect(elsewhere.username).toBe("alice");
    // Users without a username do not collide with each other (the index ignores nulls).
    await gh.users.create(realm, { email: "c@example.com" });
    await gh.users.create(realm, { email: "d@example.com", username: null });
    expect((await gh.users.list(realm.id, { limit: 10 })).data.map((u) => u.username)).toEqual([
      "alice",
      null,
      null,
    ]);
  });

  it("in email mode the username column stays null and a username is refused", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    const user = await gh.users.create(realm, { email: "e@example.com", password });
    expect(user.username).toBeNull();
    await expect(gh.users.create(realm, { email: "f@example.com", username: "frank" })).rejects.toMatchObject(
      {
        code: "validation.failed",
        fields: [{ field: "username", code: "username.disabled" }],
      },
    );
    // The login form asks for an email address; a bare name is a field error, not a lookup.
    const entry = await gh.flows.entry(realm, {});
    await expect(
      gh.flows.loginWithPassword(realm, entry, { email: "frank", password }, ctx),
    ).rejects.toMatchObject({
      code: "validation.failed",
      fields: [{ field: "email", code: "email.invalid" }],
    });
  });

  it("signup in separate mode requires a username and stores it", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh, { username_mode: "separate" });
    const entry = await gh.flows.entry(realm, {});
    await expect(
      gh.flows.signup(realm, entry, { email: "g@example.com", password }, ctx),
    ).rejects.toMatchObject({ fields: [{ field: "username", code: "field.required" }] });
    await expect(
      gh.flows.signup(realm, entry, { email: "g@example.com", username: "g@example.com", password }, ctx),
    ).rejects.toMatchObject({ fields: [{ field: "username", code: "username.invalid" }] });
    const done = await gh.flows
      .signup(realm, entry, { email: "g@example.com", username: "Gee", password }, ctx)
      .then(completed);
    expect((await gh.users.get(realm.id, done.session.userId)).username).toBe("gee");
  });

  it("two concurrent signups with one address in different case and Unicode form make exactly one user", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    const entry = await gh.flows.entry(realm, {});
    const forms = ["alice@example.com", "Ａlice@example.com", "ALICE@EXAMPLE.COM", "alice@Example.com"];
    const { won, lost } = await outcomes(
      forms.map((email) => gh.flows.signup(realm, entry, { email, password }, ctx)),
    );
    expect(won).toHaveLength(1);
    expect(lost).toEqual(
      Array(3).fill({
        code: "user.email_taken",
        status: 409,
        fields: [{ field: "email", code: "user.email_taken" }],
      }),
    );
    const users = (await gh.users.list(realm.id, { limit: 10 })).data;
    expect(users.map((u) => u.email)).toEqual(["alice@example.com"]);
    // The losers' transactions left nothing behind: one credential, for the winner.
    const credentials = await gh.db
      .select()
      .from(tables.passwordCredentials)
      .where(eq(tables.passwordCredentials.realmId, realm.id));
    expect(credentials.map((c) => c.userId)).toEqual([users[0]?.id]);
  });

  it("two concurrent signups with one username in different case and Unicode form make exactly one user", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh, { username_mode: "separate" });
    const entry = await gh.flows.entry(realm, {});
    const forms = ["alice", "Ａlice", "ALICE", "ａｌｉｃｅ"];
    const { won, lost } = await outcomes(
      forms.map((username, i) =>
        gh.flows.signup(realm, entry, { email: `a${i}@example.com`, username, password }, ctx),
      ),
    );
    expect(won).toHaveLength(1);
    expect(lost.map((l) => [l.code, l.status, l.fields[0]?.field])).toEqual(
      Array(3).fill(["user.username_taken", 409, "username"]),
    );
    expect((await gh.users.list(realm.id, { limit: 10 })).data.map((u) => u.username)).toEqual(["alice"]);
  });

  it("concurrent API creates race the same way: one user, the rest 'taken', never a 500", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh, { username_mode: "separate" });
    const { won, lost } = await outcomes([
      gh.users.create(realm, { email: "Bob@example.com", username: "bob1" }),
      gh.users.create(realm, { email: "ｂob@example.com", username: "bob2" }),
      gh.users.create(realm, { email: "bob3@example.com", username: "BOB1" }),
      gh.users.create(realm, { email: "bob4@example.com", username: "ｂｏｂ1" }),
    ]);
    // Whichever came first, the survivors hold distinct addresses and usernames.
    const users = (await gh.users.list(realm.id, { limit: 10 })).data;
    expect(won).toHaveLength(users.length);
    expect(new Set(users.map((u) => u.email)).size).toBe(users.length);
    expect(new Set(users.map((u) => u.username)).size).toBe(users.length);
    expect(users.length + lost.length).toBe(4);
    expect(lost.every((l) => ["user.email_taken", "user.username_taken"].includes(l.code))).toBe(true);
    expect(users.length).toBeGreaterThanOrEqual(1);
  });
});
