import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { fixedClock } from "@/lib/clock";
import { tables } from "@/lib/db";
import type { Realm } from "@/lib/realms";
import { testDb, testRealm, testServices } from "@/test/db";
import { createThrottle } from "./throttle";

const START = "2030-06-01T12:00:00Z";

async function setup(settings: Record<string, unknown> = {}) {
  const gh = await testServices();
  const { realm } = await testRealm(gh, settings);
  const { db } = await testDb();
  const clock = fixedClock(START);
  return { gh, realm, db, clock, throttle: createThrottle({ db, clock }) };
}

async function rowsOf(realmId: string) {
  const { db } = await testDb();
  const rows = await db.select().from(tables.throttles).where(eq(tables.throttles.realmId, realmId));
  return new Map(rows.map((r) => [r.key, r]));
}

const attempt = (
  realm: Realm,
  ip: string,
  userId: string | null = "usr_a",
  identifier = "a@example.com",
) => ({
  realm,
  userId,
  identifier,
  ip,
});

describe("login reservations in PostgreSQL", () => {
  it("counts an attempt on the account, the pair and the address before it is evaluated", async () => {
    const { realm, throttle } = await setup();
    const reserved = await throttle.reserveLogin(attempt(realm, "203.0.113.5"));
    expect(reserved.refusal).toBeNull();
    const rows = await rowsOf(realm.id);
    expect(rows.get("user:usr_a")).toMatchObject({ count: 1, streak: 1 });
    expect(rows.get("user-ip:usr_a|203.0.113.5")).toMatchObject({ count: 1 });
    expect(rows.get("ip:203.0.113.5")).toMatchObject({ count: 1 });
  });

  it("keys an identifier without an account by the identifier, apart from any account", async () => {
    const { realm, throttle } = await setup();
    await throttle.reserveLogin(attempt(realm, "203.0.113.5", null, "nobody@example.com"));
    const rows = await rowsOf(realm.id);
    expect([...rows.keys()].sort()).toEqual([
      "ip:203.0.113.5",
      "login-ip:nobody@example.com|203.0.113.5",
      "login:nobody@example.com",
    ]);
  });

  it("a success gives the reservation back and ends the streak", async () => {
    const { realm, throttle } = await setup();
    for (let i = 0; i < 3; i++) await throttle.reserveLogin(attempt(realm, "203.0.113.5"));
    const ok = await throttle.reserveLogin(attempt(realm, "203.0.113.5"));
    await ok.succeeded();
    await ok.succeeded(); // a second call changes nothing
    const rows = await rowsOf(realm.id);
    expect(rows.get("user:usr_a")).toMatchObject({ count: 3, streak: 0, nextAllowedAt: null });
    expect(rows.get("user-ip:usr_a|203.0.113.5")?.count).toBe(3);
    expect(rows.get("ip:203.0.113.5")?.count).toBe(3);
  });

  it("50 parallel reservations on one account: exactly the delay threshold get through", async () => {
    const { realm, throttle } = await setup({ login_delay_after_failures: 7 });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => throttle.reserveLogin(attempt(realm, `198.51.100.${i}`))),
    );
    expect(results.filter((r) => r.refusal === null)).toHaveLength(7);
    expect(new Set(results.map((r) => r.refusal))).toEqual(new Set([null, "delayed"]));
    expect((await rowsOf(realm.id)).get("user:usr_a")).toMatchObject({ count: 7, streak: 7 });
  });

  it("counters are per realm", async () => {
    const { gh, realm, throttle } = await setup({ login_lock_after_failures: 3 });
    const { realm: other } = await testRealm(gh, { login_lock_after_failures: 3 });
    for (let i = 0; i < 3; i++) await throttle.reserveLogin(attempt(realm, "203.0.113.5"));
    expect((await throttle.reserveLogin(attempt(realm, "203.0.113.5"))).refusal).toBe("locked");
    expect((await throttle.reserveLogin(attempt(other, "203.0.113.5"))).refusal).toBeNull();
  });
});

describe("what an administrator sees and clears", () => {
  it("shows the account's delay and its locked addresses, then clears them", async () => {
    const { realm, throttle, clock } = await setup({ login_lock_after_failures: 3, login_lock_minutes: 15 });
    for (let i = 0; i < 3; i++) await throttle.reserveLogin(attempt(realm, "203.0.113.5"));
    await throttle.reserveLogin(attempt(realm, "2001:db8:5:6::99"));
    await throttle.reserveLogin(attempt(realm, "203.0.113.6", "usr_other"));

    const state = await throttle.accountState(realm.id, "usr_a");
    expect(state.locked).toBe(true);
    expect(state.account).toMatchObject({ failuresThisWindow: 4, consecutiveFailures: 4, cappedUntil: null });
    expect(state.pairs).toEqual([
      {
        ip: "203.0.113.5",
        failuresThisWindow: 3,
        lockedUntil: new Date(clock.now().getTime() + 15 * 60_000),
      },
      { ip: "2001:db8:5:6::/64", failuresThisWindow: 1, lockedUntil: null },
    ]);

    expect(await throttle.clearAccount(realm.id, "usr_a")).toBe(3);
    expect(await throttle.accountState(realm.id, "usr_a")).toMatchObject({ locked: false, pairs: [] });
    expect((await throttle.reserveLogin(attempt(realm, "203.0.113.5"))).refusal).toBeNull();
    // The addresses' own budgets and other accounts stay.
    const rows = await rowsOf(realm.id);
    expect(rows.get("ip:203.0.113.5")?.count).toBe(4);
    expect(rows.get("user:usr_other")?.count).toBe(1);
    expect(await throttle.clearAccount(realm.id, "usr_nobody")).toBe(0);
  });
});

describe("hit(): fixed-window rate limit", () => {
  it("allows `limit` hits per window, atomically under concurrency", async () => {
    const { realm, throttle, clock } = await setup();
    const results = await Promise.all(Array.from({ length: 25 }, () => throttle.hit(realm.id, "k", 10, 60)));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 25 }, (_, i) => i + 1),
    );
    clock.advance(59_999);
    expect((await throttle.hit(realm.id, "k", 10, 60)).allowed).toBe(false);
    clock.advance(1);
    const fresh = await throttle.hit(realm.id, "k", 10, 60);
    expect(fresh).toEqual({ allowed: true, count: 1, resetsAt: new Date(clock.now().getTime() + 60_000) });
  });

  it("refuses windows it could not keep", async () => {
    const { realm, throttle } = await setup();
    await expect(throttle.hit(realm.id, "k", 1, 0)).rejects.toThrow();
    await expect(throttle.hit(realm.id, "k", 1, 7200)).rejects.toThrow();
  });
});

describe("clean-up", () => {
  it("deletes rows that hold nothing any more, and keeps running locks and counts", async () => {
    const { realm, throttle, clock, db } = await setup({
      login_lock_after_failures: 3,
      login_lock_minutes: 180,
    });
    for (let i = 0; i < 3; i++) await throttle.reserveLogin(attempt(realm, "203.0.113.5"));
    await throttle.hit(realm.id, "old", 5, 3600);
    clock.advance(61 * 60_000);
    await throttle.hit(realm.id, "recent", 5, 3600);

    expect(await throttle.purgeStale(realm.id)).toBe(3); // account, address, old
    const left = [...(await rowsOf(realm.id)).keys()].sort();
    expect(left).toEqual(["recent", "user-ip:usr_a|203.0.113.5"]);

    clock.advance(180 * 60_000);
    expect(await throttle.purgeStale(realm.id)).toBe(2);
    const [remaining] = await db
      .select()
      .from(tables.throttles)
      .where(and(eq(tables.throttles.realmId, realm.id)));
    expect(remaining).toBeUndefined();
  });
});

describe("clean-up beside live attempts", () => {
  // PGlite runs one transaction at a time, so only PostgreSQL can hold a row while another deletes.
  it.runIf(Boolean(process.env.TEST_DATABASE_URL))("skips rows another transaction holds", async () => {
    const { realm, throttle, clock, db } = await setup();
    await throttle.hit(realm.id, "busy", 5, 3600);
    await throttle.hit(realm.id, "idle", 5, 3600);
    clock.advance(61 * 60_000);
    await db.transaction(async (tx) => {
      await tx
        .select()
        .from(tables.throttles)
        .where(and(eq(tables.throttles.realmId, realm.id), eq(tables.throttles.key, "busy")))
        .for("update");
      expect(await throttle.purgeStale(realm.id)).toBe(1);
    });
    expect([...(await rowsOf(realm.id)).keys()]).toEqual(["busy"]);
  });
});

describe("several app instances", () => {
  it("two throttles over separate connections share one set of counters", async () => {
    const { realm, clock, db } = await setup({ login_delay_after_failures: 4 });
    // On PostgreSQL (TEST_DATABASE_URL) the second instance has its own connection pool.
    const url = process.env.TEST_DATABASE_URL;
    const second = url
      ? await (await import("@/lib/db/client")).openDatabase(
          { kind: "postgres", url, max: 4 },
          { migrate: false },
        )
      : null;
    try {
      const a = createThrottle({ db, clock });
      const b = createThrottle({ db: second?.db ?? db, clock });
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).reserveLogin(attempt(realm, `198.51.100.${i}`))),
      );
      expect(results.filter((r) => r.refusal === null)).toHaveLength(4);
    } finally {
      await second?.close();
    }
  });
});
