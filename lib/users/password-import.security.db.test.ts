import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { tables } from "@/lib/db";
import type { Realm } from "@/lib/realms";
import type { Services } from "@/lib/services";
import { testRealm, testServices } from "@/test/db";

const ctx = { ip: "203.0.113.9", userAgent: "vitest" };

/** One known vector per format; see lib/passwords/*.test.ts for where each comes from. */
const formats = [
  ["bcrypt $2y$ at another cost", "U*U*", "$2y$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK"],
  [
    "argon2id",
    "password",
    "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
  ],
  [
    "scrypt",
    "correct horse",
    "$scrypt$ln=14,r=8,p=1$IARAiLH2Xqs1hnBuba211g$JHqltyh9K24oXt1vqAsTuMTjheYqqpYhVNNo0xte0GA",
  ],
  [
    "Django PBKDF2-SHA256",
    "pässwörd 🔑",
    "pbkdf2_sha256$10000$seasalt12345$r3aTHONTHwlwAV/su/3f0p54KMa8S+fGKkpkzO4XYPQ=",
  ],
  [
    "Django-style PBKDF2-SHA512",
    "correct horse",
    "pbkdf2_sha512$20000$Xs2Qn8UaTfRNkDMZ2a8gYk$KXNBz+RVddKWLCSAsbqgKw7D7yrTf5MTRi+2S6OnqQDCUH2m3a61A1L3vQ8LG1HarpuL0Y3urMkWQvnXdZOPrg==",
  ],
  [
    "passlib PBKDF2-SHA256",
    "correct horse",
    "$pbkdf2-sha256$29000$./4Bc2FsdC1ieXRlcy0xNg$zU9f62H96j8XZV1xWvuYwM1aJwFG9MSkjybmkXk30YA",
  ],
  [
    "passlib PBKDF2-SHA512",
    "pässwörd 🔑",
    "$pbkdf2-sha512$25000$ZkwJASCE0BqjFCLkfO.9Fw$t8hxQSaCWuRJkgawMXnPujBCB8jsIXb7prJlVYZV76k/gqiw7srHwCTMQrjU2CuV2op/9LCYqGPEQxRJJ1p0Mw",
  ],
  [
    "PHC PBKDF2-SHA256",
    "correct horse",
    "$pbkdf2-sha256$i=10000$cnVzdC1jcnlwdG8tc2FsdA$WM5YgwzHuvMvbPFvYWZDdaH85X1vrLZ7hrLOHnuXgDs",
  ],
] as const;

async function credential(gh: Services, realm: Realm, userId: string) {
  const [row] = await gh.db
    .select()
    .from(tables.passwordCredentials)
    .where(
      and(eq(tables.passwordCredentials.realmId, realm.id), eq(tables.passwordCredentials.userId, userId)),
    );
  if (!row) throw new Error("no credential");
  return row;
}

async function login(gh: Services, realm: Realm, email: string, password: string) {
  return gh.flows.loginWithPassword(realm, await gh.flows.entry(realm, {}), { email, password }, ctx);
}

describe("importing users with an existing password hash", () => {
  it.each(formats)(
    "%s: stored as given, logs in, and is re-hashed to bcrypt at the realm cost without touching changed_at",
    async (_label, password, hash) => {
      const gh = await testServices();
      const { realm } = await testRealm(gh); // bcrypt_cost 4
      const user = await gh.users.create(realm, { email: "imported@example.com", password_hash: hash });
      const before = await credential(gh, realm, user.id);
      expect(before.hash).toBe(hash);

      await expect(login(gh, realm, "imported@example.com", `${password}-wrong`)).rejects.toMatchObject({
        code: "auth.invalid_credentials",
      });
      expect((await credential(gh, realm, user.id)).hash).toBe(hash); // a failure changes nothing

      await login(gh, realm, "imported@example.com", password);
      const after = await credential(gh, realm, user.id);
      expect(after.hash).toMatch(/^\$2b\$04\$/);
      expect(gh.hasher.needsRehash(after.hash, 4)).toBe(false);
      expect(after.changedAt.getTime()).toBe(before.changedAt.getTime());

      // The new hash is the same password: the next login works and rewrites nothing.
      await login(gh, realm, "imported@example.com", password);
      expect((await credential(gh, realm, user.id)).hash).toBe(after.hash);
      await expect(login(gh, realm, "imported@example.com", `${password}-wrong`)).rejects.toMatchObject({
        code: "auth.invalid_credentials",
      });
    },
  );

  it("re-hashes a Gatehouse bcrypt hash when the realm's cost changes, and keeps changed_at", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    const user = await gh.users.create(realm, {
      email: "cost@example.com",
      password: "a-long-enough-password",
    });
    const before = await credential(gh, realm, user.id);
    const raised = await gh.realms.update(realm.id, { settings: { bcrypt_cost: 5 } });
    await login(gh, raised, "cost@example.com", "a-long-enough-password");
    const after = await credential(gh, realm, user.id);
    expect(after.hash).toMatch(/^\$2b\$05\$/);
    expect(after.changedAt.getTime()).toBe(before.changedAt.getTime());
  });

  it("a re-hash never overwrites a password changed since the login checked the old one", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    const [, password, hash] = formats[3];
    const user = await gh.users.create(realm, { email: "race@example.com", password_hash: hash });
    await gh.users.setPassword(realm, user.id, "a-brand-new-password");
    const changed = (await credential(gh, realm, user.id)).hash;
    // What a login that verified the imported hash just before the change would now write:
    await gh.users.replacePasswordHash(realm.id, user.id, await gh.hasher.hash(password, 4), hash);
    expect((await credential(gh, realm, user.id)).hash).toBe(changed);
    expect(await gh.hasher.verify("a-brand-new-password", changed)).toBe(true);
  });

  it.each([
    ["password.hash_invalid", "not-a-hash"],
    ["password.hash_invalid", `$2b$10$${"x".repeat(600)}`],
    ["password.hash_unsupported", "$1$saltsalt$2vnaRpHa6Jxjz5n83ok8Z0"],
    [
      "password.hash_unsupported",
      "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA",
    ],
    [
      "password.hash_cost_out_of_bounds",
      "pbkdf2_sha256$90000000$Xs2Qn8UaTfRNkDMZ2a8gYk$VSo11V0WmLqOtHOzETG9vPrDt4InNXVWWwwxKL1Vx7A=",
    ],
    ["password.hash_cost_out_of_bounds", "$2b$17$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"],
  ])("refuses with %s and creates nothing: %s", async (code, hash) => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    await expect(
      gh.users.create(realm, { email: "x@example.com", password_hash: hash }),
    ).rejects.toMatchObject({
      code: "validation.failed",
      status: 422,
      fields: [{ field: "password_hash", code }],
    });
    expect((await gh.users.list(realm.id, { limit: 10 })).data).toHaveLength(0);
  });

  it("refuses password and password_hash together, and a hash that is not a string", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    await expect(
      gh.users.create(realm, {
        email: "both@example.com",
        password: "a-long-enough-password",
        password_hash: formats[1][2],
      }),
    ).rejects.toMatchObject({ fields: [{ field: "password_hash", code: "password.both_given" }] });
    await expect(
      gh.users.create(realm, { email: "num@example.com", password_hash: 12 }),
    ).rejects.toMatchObject({ fields: [{ field: "password_hash", code: "field.invalid_type" }] });
    expect((await gh.users.list(realm.id, { limit: 10 })).data).toHaveLength(0);
  });

  it("does not apply the password policy to an imported hash (it cannot be checked)", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh, { password_min_length: 20 });
    // "U*U*" is far shorter than the realm's minimum, yet the imported user can log in.
    await gh.users.create(realm, { email: "short@example.com", password_hash: formats[0][2] });
    await expect(login(gh, realm, "short@example.com", "U*U*")).resolves.toBeTruthy();
  });
});
