import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as usersRoute from "@/app/api/v1/realms/[realm]/users/route";
import { fixedClock } from "@/lib/clock";
import { tables } from "@/lib/db";
import { type AppError, isAppError } from "@/lib/errors";
import { createPasswordHasher, type PasswordHasher } from "@/lib/passwords";
import type { Realm } from "@/lib/realms";
import type { Services } from "@/lib/services";
import { completed, testRealm, testServices } from "@/test/db";

/** The real hasher, counting what it is asked to hash: proof that refused passwords cost no bcrypt. */
function countingHasher() {
  const real = createPasswordHasher();
  const hashed: string[] = [];
  const hasher: PasswordHasher = {
    ...real,
    hash(password, cost) {
      hashed.push(password);
      return real.hash(password, cost);
    },
  };
  return { hasher, hashed };
}

const counting = countingHasher();
const clock = fixedClock("2030-01-01T00:00:00Z");
let gh: Services;
const holder = globalThis as typeof globalThis & { __gatehouseServices?: Promise<Services> };

beforeAll(async () => {
  gh = await testServices({ hasher: counting.hasher, clock });
  // The API route reads the process-wide services: hand it these.
  holder.__gatehouseServices = Promise.resolve(gh);
});

const ctx = { ip: "203.0.113.9", userAgent: "vitest" };
const GOOD = "lantern-orbit-kettle-42";

async function caught(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

const codesOf = (error: AppError) => error.fields.map((f) => `${f.field}:${f.code}`);

async function usersOf(realmId: string) {
  return gh.db.select().from(tables.users).where(eq(tables.users.realmId, realmId));
}

async function historyOf(realm: Realm, userId: string) {
  return gh.db
    .select()
    .from(tables.passwordHistory)
    .where(and(eq(tables.passwordHistory.realmId, realm.id), eq(tables.passwordHistory.userId, userId)));
}

describe("password policy on users.create and the API", () => {
  it("answers one 422 with every failing rule and every other bad field; creates nothing, hashes nothing", async () => {
    const { realm } = await testRealm(gh, {
      password_min_length: 12,
      password_required_classes: ["upper", "digit", "symbol"],
    });
    const before = counting.hashed.length;
    const res = await usersRoute.POST(
      new Request("http://gatehouse.test/api/v1/x", {
        method: "POST",
        headers: {
          authorization: "Bearer test-bootstrap-key-0123456789abcdef",
          "content-type": "application/json",
        },
        // "password" is common, short, lacks three classes and is the email's local part; the
        // first name is over its limit.
        body: JSON.stringify({
          email: "password@example.com",
          password: "password",
          first_name: "x".repeat(101),
        }),
      }),
      { params: Promise.resolve({ realm: realm.slug }) },
    );
    expect(res.status).toBe(422);
    const body = (await res.json()) as {
      error: {
        code: string;
        fields: Array<{ field: string; code: string; message: string; params?: object }>;
      };
    };
    expect(body.error.code).toBe("validation.failed");
    expect(body.error.fields).toEqual([
      {
        field: "password",
        code: "password.too_short",
        message: "Use at least 12 characters.",
        params: { min: 12 },
      },
      {
        field: "first_name",
        code: "field.too_long",
        message: "Use at most 100 characters.",
        params: { max: 100 },
      },
      { field: "password", code: "password.missing_upper", message: "Include an upper-case letter." },
      { field: "password", code: "password.missing_digit", message: "Include a digit." },
      { field: "password", code: "password.missing_symbol", message: "Include a symbol such as ! or #." },
      {
        field: "password",
        code: "password.too_common",
        message: "This password is too common. Choose one that is unique to you.",
      },
      {
        field: "password",
        code: "password.contains_identifier",
        message: "Don't use your email address or username in your password.",
      },
    ]);
    expect(await usersOf(realm.id)).toEqual([]);
    expect(counting.hashed.length).toBe(before);
  });

  it("checks the policy even when the email is invalid, and the weak-strength rule by the realm's threshold", async () => {
    const { realm } = await testRealm(gh, { password_strength_min: 4, password_blocklist: false });
    const error = await caught(gh.users.create(realm, { email: "not-an-email", password: "Summer2024!" }));
    expect(codesOf(error)).toEqual(["email:email.invalid", "password:password.too_weak"]);
    expect(error.fields.find((f) => f.code === "password.too_weak")?.params).toEqual({ min: 4 });
  });

  it("refuses a password over the realm's maximum before hashing it (bcrypt never sees it)", async () => {
    const { realm } = await testRealm(gh, { password_max_length: 64 });
    const before = counting.hashed.length;
    // 65 characters of 4 bytes each: far past bcrypt's 72 bytes, and past the realm's maximum.
    const error = await caught(
      gh.users.create(realm, { email: "long@example.com", password: "😀".repeat(65) }),
    );
    expect(codesOf(error)).toEqual(["password:password.too_long"]);
    expect(error.fields[0]?.params).toEqual({ max: 64 });
    expect(counting.hashed.length).toBe(before);
    // At the maximum (64 characters, 104 UTF-8 bytes) it is accepted, and pre-hashed, not truncated.
    const user = await gh.users.create(realm, {
      email: "long@example.com",
      password: `${GOOD}-${"é".repeat(40)}`,
    });
    const [credential] = await gh.db
      .select()
      .from(tables.passwordCredentials)
      .where(eq(tables.passwordCredentials.userId, user.id));
    expect(credential?.hash.startsWith("$gh-sha384$")).toBe(true);
  });

  it("accepts a good password, and a user without one", async () => {
    const { realm } = await testRealm(gh);
    await gh.users.create(realm, { email: "ok@example.com", password: GOOD });
    await gh.users.create(realm, { email: "nopw@example.com" });
    expect((await usersOf(realm.id)).map((u) => u.email).sort()).toEqual([
      "nopw@example.com",
      "ok@example.com",
    ]);
  });
});

describe("password policy on signup", () => {
  it("returns the form's errors and every policy error together; creates nothing, hashes nothing", async () => {
    const { realm } = await testRealm(gh, { password_min_length: 12, signup_names: "required" });
    const entry = await gh.flows.entry(realm, { redirect_uri: "https://app.example/callback" });
    const before = counting.hashed.length;
    const error = await caught(
      gh.flows.signup(realm, entry, { email: "sam@example.com", password: "iloveyou", last_name: "S" }, ctx),
    );
    expect(error.status).toBe(422);
    expect(codesOf(error)).toEqual([
      "password:password.too_short",
      "first_name:field.required",
      "password:password.too_common",
    ]);
    // Over the maximum (256 by default): refused the same way, never hashed.
    const long = await caught(
      gh.flows.signup(realm, entry, { email: "sam@example.com", password: `${GOOD}${"é".repeat(240)}` }, ctx),
    );
    expect(codesOf(long)).toContain("password:password.too_long");
    expect(await usersOf(realm.id)).toEqual([]);
    expect(counting.hashed.length).toBe(before);
  });

  it("refuses a password containing the address being signed up with", async () => {
    const { realm } = await testRealm(gh);
    const entry = await gh.flows.entry(realm, { redirect_uri: "https://app.example/callback" });
    const error = await caught(
      gh.flows.signup(
        realm,
        entry,
        { email: "Grace.Hopper@example.com", password: "my-grace.hopper-key" },
        ctx,
      ),
    );
    expect(codesOf(error)).toEqual(["password:password.contains_identifier"]);
    const done = await gh.flows
      .signup(realm, entry, { email: "grace.hopper@example.com", password: GOOD }, ctx)
      .then(completed);
    expect(done.redirectUrl).toContain("signup=true");
  });
});

describe("users.setPassword", () => {
  async function userWith(settings: Record<string, unknown>, password = GOOD) {
    const { realm } = await testRealm(gh, settings);
    const user = await gh.users.create(realm, { email: "pat.lee@example.com", password, first_name: "Pat" });
    return { realm, user };
  }

  async function canLogIn(realm: Realm, password: string) {
    const found = await gh.users.findForLogin(realm.id, "pat.lee@example.com");
    return found?.hash ? gh.hasher.verify(password, found.hash) : false;
  }

  it("enforces the policy with the user's identity, before hashing; the old password stays", async () => {
    const { realm, user } = await userWith({ password_required_classes: ["digit"] });
    const before = counting.hashed.length;
    const error = await caught(gh.users.setPassword(realm, user.id, "Pat.Lee-lantern-orbit"));
    expect(codesOf(error)).toEqual([
      "password:password.missing_digit",
      "password:password.contains_identifier",
    ]);
    const tooLong = await caught(gh.users.setPassword(realm, user.id, "x".repeat(257)));
    expect(codesOf(tooLong)).toContain("password:password.too_long");
    expect(counting.hashed.length).toBe(before);
    expect(await canLogIn(realm, GOOD)).toBe(true);
  });

  it("names the field it is told to", async () => {
    const { realm, user } = await userWith({});
    const error = await caught(gh.users.setPassword(realm, user.id, "password1", { field: "new_password" }));
    expect(codesOf(error)).toEqual(["new_password:password.too_common"]);
    const reused = await caught(gh.users.setPassword(realm, user.id, GOOD, { field: "new_password" }));
    expect(codesOf(reused)).toEqual(["new_password:password.reused"]);
  });

  it("with history 0: refuses only the current password and keeps no history", async () => {
    const { realm, user } = await userWith({ password_history: 0 });
    expect(codesOf(await caught(gh.users.setPassword(realm, user.id, GOOD)))).toEqual([
      "password:password.reused",
    ]);
    await gh.users.setPassword(realm, user.id, "second-lantern-orbit-7");
    await gh.users.setPassword(realm, user.id, GOOD);
    expect(await canLogIn(realm, GOOD)).toBe(true);
    expect(await historyOf(realm, user.id)).toEqual([]);
  });

  it("with history 3: refuses the current and the last 3, accepts older ones, keeps 3 rows", async () => {
    const { realm, user } = await userWith({ password_history: 3 });
    const passwords = [GOOD, ...[1, 2, 3, 4].map((n) => `orbit-kettle-lantern-${n}x`)];
    for (const next of passwords.slice(1)) {
      clock.advance(60_000);
      await gh.users.setPassword(realm, user.id, next);
    }
    // Current: #4; history: #3, #2, #1 (the first one, GOOD, has dropped out).
    const rows = await historyOf(realm, user.id);
    expect(rows).toHaveLength(3);
    for (const refused of passwords.slice(1)) {
      expect(codesOf(await caught(gh.users.setPassword(realm, user.id, refused))), refused).toEqual([
        "password:password.reused",
      ]);
    }
    expect(await canLogIn(realm, "orbit-kettle-lantern-4x")).toBe(true);
    clock.advance(60_000);
    await gh.users.setPassword(realm, user.id, GOOD);
    expect(await canLogIn(realm, GOOD)).toBe(true);
    // Still 3 rows: #4 came in, #1 went out.
    const after = await historyOf(realm, user.id);
    expect(after).toHaveLength(3);
    expect(await Promise.all(after.map((r) => gh.hasher.verify("orbit-kettle-lantern-1x", r.hash)))).toEqual([
      false,
      false,
      false,
    ]);
    // History rows are hashes, never the passwords.
    for (const r of after) expect(r.hash).toMatch(/^\$2b\$04\$/);
  });

  it("lowering the realm's history to 0 drops the rows at the next change", async () => {
    const { realm, user } = await userWith({ password_history: 2 });
    clock.advance(60_000);
    await gh.users.setPassword(realm, user.id, "second-lantern-orbit-7");
    expect(await historyOf(realm, user.id)).toHaveLength(1);
    const lowered = await gh.realms.update(realm.id, { settings: { password_history: 0 } });
    clock.advance(60_000);
    await gh.users.setPassword(lowered, user.id, "third-lantern-orbit-8");
    expect(await historyOf(realm, user.id)).toEqual([]);
  });

  it("gives a first password to a user without one, without consulting any history", async () => {
    const { realm } = await testRealm(gh, { password_history: 5 });
    const user = await gh.users.create(realm, { email: "nopw@example.com" });
    await gh.users.setPassword(realm, user.id, GOOD);
    expect(await historyOf(realm, user.id)).toEqual([]);
    const found = await gh.users.findForLogin(realm.id, "nopw@example.com");
    expect(found?.hash && (await gh.hasher.verify(GOOD, found.hash))).toBe(true);
  });
});
