import { and, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Clock } from "@/lib/clock";
import { type Db, tables } from "@/lib/db";
import type { RealmSettings } from "@/lib/realms";
import { ipBucket, throttleKeys } from "./keys";
import {
  type Counter,
  decideLogin,
  describeAccount,
  describePair,
  type LoginCounters,
  type LoginRefusal,
  newCounter,
  type Reservation,
  refundLogin,
  WINDOW_MS,
} from "./policy";
import { decideSecondFactor, refundSecondFactor } from "./second-factor";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

const t = tables.throttles;

/** One password attempt, reserved before its password is evaluated. */
export interface LoginAttempt {
  /** Set when the attempt must fail without evaluating the password. */
  refusal: LoginRefusal | null;
  /** Set when this attempt locked the account for its address (record `user.locked` if it fails). */
  lockStarted: { until: Date; failures: number } | null;
  /** The password was right: give the reservation back, end the account's failure streak. */
  succeeded(): Promise<void>;
}

/** One second-factor attempt, reserved before its code is evaluated (second-factor.ts). */
export interface SecondFactorAttempt {
  /** Set when the code must be refused without being looked at. */
  refusal: "locked" | null;
  /** Set when this attempt locked second-factor attempts (record `user.mfa_locked`). */
  lockStarted: { until: Date; failures: number } | null;
  /** The code was right: the streak (and a lock it started meanwhile) ends. */
  succeeded(): Promise<void>;
}

export interface LoginAttemptInput {
  realm: { id: string; settings: RealmSettings };
  /** The account the identifier names, or null when none does. */
  userId: string | null;
  /** The normalised identifier as typed (email or username). */
  identifier: string;
  ip: string | null;
}

export interface HitResult {
  allowed: boolean;
  count: number;
  resetsAt: Date;
}

/** Rows purged per opportunistic clean-up, and how often one runs (every Nth reservation or hit). */
const PURGE_BATCH = 200;
const PURGE_EVERY = 32;
/** How many address pairs of one account an administrator sees at most. */
const PAIRS_SHOWN = 100;

function rowToCounter(row: typeof t.$inferSelect): Counter {
  return {
    windowStartedAt: row.windowStartedAt,
    count: row.count,
    streak: row.streak,
    nextAllowedAt: row.nextAllowedAt,
    lockedUntil: row.lockedUntil,
    updatedAt: row.updatedAt,
  };
}

/**
 * Brute-force and rate-limit counters in PostgreSQL, so that every app instance sees the same
 * numbers (DESIGN section 5). Rows are locked one key at a time in sorted key order, in every
 * transaction that takes more than one, so two attempts never deadlock.
 */
export function createThrottle({ db, clock }: { db: Db; clock: Clock }) {
  let operations = 0;

  /** Creates missing rows and locks all of them, in sorted key order. */
  async function lockCounters(tx: Tx, realmId: string, keys: string[]) {
    const rows = new Map<string, Counter>();
    const now = clock.now();
    for (const key of [...keys].sort()) {
      const [row] = await tx
        .insert(t)
        .values({ realmId, key, windowStartedAt: now, updatedAt: now })
        // A no-op update: it takes the row lock and returns the row, new or old, in one statement.
        .onConflictDoUpdate({ target: [t.realmId, t.key], set: { updatedAt: sql`${t.updatedAt}` } })
        .returning();
      if (!row) throw new Error("upsert returned no row");
      rows.set(key, rowToCounter(row));
    }
    return rows;
  }

  async function writeCounters(tx: Tx, realmId: string, counters: Array<[string, Counter]>) {
    if (counters.length === 0) return;
    await tx
      .insert(t)
      .values(counters.map(([key, c]) => ({ realmId, key, ...c })))
      .onConflictDoUpdate({
        target: [t.realmId, t.key],
        set: {
          windowStartedAt: sql`excluded.window_started_at`,
          count: sql`excluded.count`,
          streak: sql`excluded.streak`,
          nextAllowedAt: sql`excluded.next_allowed_at`,
          lockedUntil: sql`excluded.locked_until`,
          updatedAt: sql`excluded.updated_at`,
        },
      });
  }

  /**
   * Deletes up to PURGE_BATCH rows of a realm that no longer hold anything in force. Rows another
   * transaction is using are skipped (never waited for, so this cannot deadlock with an attempt),
   * and the conditions are checked again on the row being deleted.
   */
  async function purgeStale(realmId: string): Promise<number> {
    const stale = new Date(clock.now().getTime() - WINDOW_MS);
    const isStale = and(
      eq(t.realmId, realmId),
      lt(t.updatedAt, stale),
      or(isNull(t.lockedUntil), lt(t.lockedUntil, stale)),
    );
    const doomed = db
      .select({ key: t.key })
      .from(t)
      .where(isStale)
      .limit(PURGE_BATCH)
      .for("update", { skipLocked: true });
    const deleted = await db
      .delete(t)
      .where(and(isStale, inArray(t.key, doomed)))
      .returning({ key: t.key });
    return deleted.length;
  }

  /** Housekeeping on the side of every Nth operation; its failure must not fail a login. */
  async function maybePurge(realmId: string) {
    operations += 1;
    if (operations % PURGE_EVERY !== 0) return;
    try {
      await purgeStale(realmId);
    } catch (error) {
      console.error("[throttle] clean-up failed", error);
    }
  }

  /**
   * A plain fixed-window rate limit: counts one hit on `key` and says whether it is within
   * `limit` per window. Atomic in one statement, so concurrent hits never both take the last slot.
   */
  async function hit(realmId: string, key: string, limit: number, windowSeconds: number): Promise<HitResult> {
    // Longer windows would outlive the clean-up rule (rows untouched for an hour are deleted).
    if (!(windowSeconds > 0 && windowSeconds * 1000 <= WINDOW_MS))
      throw new Error("rate-limit windows are 1 s to 1 h");
    const now = clock.now();
    // Dates inside raw SQL go as text: postgres.js does not encode them there.
    const cutoff = new Date(now.getTime() - windowSeconds * 1000).toISOString();
    const expired = sql`${t.windowStartedAt} <= ${cutoff}::timestamptz`;
    const [row] = await db
      .insert(t)
      .values({ realmId, key, windowStartedAt: now, count: 1, updatedAt: now })
      .onConflictDoUpdate({
        target: [t.realmId, t.key],
        set: {
          count: sql`case when ${expired} then 1 else ${t.count} + 1 end`,
          windowStartedAt: sql`case when ${expired} then excluded.window_started_at else ${t.windowStartedAt} end`,
          updatedAt: sql`excluded.updated_at`,
        },
      })
      .returning({ count: t.count, windowStartedAt: t.windowStartedAt });
    if (!row) throw new Error("upsert returned no row");
    await maybePurge(realmId);
    return {
      allowed: row.count <= limit,
      count: row.count,
      resetsAt: new Date(row.windowStartedAt.getTime() + windowSeconds * 1000),
    };
  }

  return {
    /**
     * Reserves a password attempt on the account, the account from this address, and the address:
     * counted as a failure up front, refused outright when the pair is locked, the address is over
     * its hourly budget, the account has reached its hourly cap, or the account's delay is running.
     */
    async reserveLogin(input: LoginAttemptInput): Promise<LoginAttempt> {
      const { realm, userId } = input;
      const s = realm.settings;
      const ip = ipBucket(input.ip);
      const keys = {
        account: userId ? throttleKeys.user(userId) : throttleKeys.login(input.identifier),
        pair: userId ? throttleKeys.userIp(userId, ip) : throttleKeys.loginIp(input.identifier, ip),
        ip: throttleKeys.ip(ip),
      } satisfies Record<keyof LoginCounters, string>;
      const names = Object.keys(keys) as Array<keyof LoginCounters>;
      const pick = (rows: Map<string, Counter>, now: Date): LoginCounters => ({
        account: rows.get(keys.account) ?? newCounter(now),
        pair: rows.get(keys.pair) ?? newCounter(now),
        ip: rows.get(keys.ip) ?? newCounter(now),
      });
      const decision = await db.transaction(async (tx) => {
        const rows = await lockCounters(tx, realm.id, Object.values(keys));
        // The time is read once the rows are ours, so decisions apply in the order of their times.
        const now = clock.now();
        const read = pick(rows, now);
        const decided = decideLogin(
          read,
          {
            delayAfter: s.login_delay_after_failures,
            lockAfter: s.login_lock_after_failures,
            lockMs: s.login_lock_minutes * 60_000,
            ipPerWindow: s.login_ip_failures_per_hour,
          },
          now,
        );
        await writeCounters(
          tx,
          realm.id,
          decided.changed.map((name) => [keys[name], decided.next[name]]),
        );
        return { ...decided, at: now };
      });
      await maybePurge(realm.id);

      const reservation: Reservation = {
        reservedAt: decision.at,
        windows: {
          account: decision.next.account.windowStartedAt.getTime(),
          pair: decision.next.pair.windowStartedAt.getTime(),
          ip: decision.next.ip.windowStartedAt.getTime(),
        },
        lockStarted: decision.lockStarted,
      };
      let refunded = false;
      return {
        refusal: decision.refusal,
        lockStarted: decision.lockStarted,
        async succeeded() {
          if (decision.refusal || refunded) return;
          refunded = true;
          await db.transaction(async (tx) => {
            const rows = await lockCounters(tx, realm.id, Object.values(keys));
            const at = clock.now();
            const read = pick(rows, at);
            const next = refundLogin(read, reservation, at);
            await writeCounters(
              tx,
              realm.id,
              names.map((name) => [keys[name], next[name]]),
            );
          });
        },
      };
    },

    hit,

    /**
     * Reserves a second-factor attempt of a user: counted as a failure up front, refused outright
     * while the user's second-factor lock runs (MFA_LOCK_AFTER consecutive failures lock for
     * MFA_LOCK_MS). One row, locked for the decision, so parallel attempts are counted one by one.
     */
    async reserveSecondFactor(realmId: string, userId: string): Promise<SecondFactorAttempt> {
      const key = throttleKeys.mfa(userId);
      const decision = await db.transaction(async (tx) => {
        const rows = await lockCounters(tx, realmId, [key]);
        const now = clock.now();
        const decided = decideSecondFactor(rows.get(key) ?? newCounter(now), now);
        if (!decided.refusal) await writeCounters(tx, realmId, [[key, decided.next]]);
        return decided;
      });
      await maybePurge(realmId);
      let refunded = false;
      return {
        refusal: decision.refusal,
        lockStarted: decision.lockStarted,
        async succeeded() {
          if (decision.refusal || refunded) return;
          refunded = true;
          await db.transaction(async (tx) => {
            const rows = await lockCounters(tx, realmId, [key]);
            const now = clock.now();
            await writeCounters(tx, realmId, [
              [key, refundSecondFactor(rows.get(key) ?? newCounter(now), now)],
            ]);
          });
        },
      };
    },

    /** Signups per address and hour (signup_ip_per_hour). */
    async signupAllowed(realm: { id: string; settings: RealmSettings }, ip: string | null) {
      const result = await hit(
        realm.id,
        throttleKeys.signupIp(ipBucket(ip)),
        realm.settings.signup_ip_per_hour,
        3600,
      );
      return result.allowed;
    },

    /** Password-reset requests per address and hour (reset_ip_per_hour). */
    async resetAllowed(realm: { id: string; settings: RealmSettings }, ip: string | null) {
      const result = await hit(
        realm.id,
        throttleKeys.resetIp(ipBucket(ip)),
        realm.settings.reset_ip_per_hour,
        3600,
      );
      return result.allowed;
    },

    /**
     * One more email with a link to this (normalised) address within the hour, or not
     * (email_per_recipient_per_hour): a mailbox is not flooded however many people ask.
     */
    async recipientAllowed(realm: { id: string; settings: RealmSettings }, email: string) {
      const result = await hit(
        realm.id,
        throttleKeys.emailRecipient(email),
        realm.settings.email_per_recipient_per_hour,
        3600,
      );
      return result.allowed;
    },

    /**
     * One more change-of-email link from this account (per hour, the per-recipient budget) and to
     * this address (its own counter: asking for a change does not spend the address's reset budget).
     */
    async emailChangeAllowed(realm: { id: string; settings: RealmSettings }, userId: string, email: string) {
      const limit = realm.settings.email_per_recipient_per_hour;
      const byUser = await hit(realm.id, throttleKeys.emailChangeUser(userId), limit, 3600);
      if (!byUser.allowed) return false;
      return (await hit(realm.id, throttleKeys.emailChangeRecipient(email), limit, 3600)).allowed;
    },

    /** An account's counters as an administrator sees them: its own, and those of its addresses. */
    async accountState(realmId: string, userId: string) {
      const now = clock.now();
      const prefix = throttleKeys.userIpPrefix(userId);
      const [own] = await db
        .select()
        .from(t)
        .where(and(eq(t.realmId, realmId), eq(t.key, throttleKeys.user(userId))));
      const pairRows = await db
        .select()
        .from(t)
        .where(and(eq(t.realmId, realmId), sql`starts_with(${t.key}, ${prefix})`))
        .orderBy(sql`${t.lockedUntil} desc nulls last`, sql`${t.updatedAt} desc`)
        .limit(PAIRS_SHOWN);
      const account = describeAccount(own ? rowToCounter(own) : newCounter(now), now);
      const pairs = pairRows.map((r) => ({
        ip: r.key.slice(prefix.length),
        ...describePair(rowToCounter(r), now),
      }));
      const locked =
        account.delayedUntil !== null || account.cappedUntil !== null || pairs.some((p) => p.lockedUntil);
      return { locked, account, pairs };
    },

    /**
     * Deletes an account's counters (its own and its addresses'; the addresses' own budgets stay).
     * Returns how many rows went. Pairs go first, then the account: the order reservations lock in.
     */
    async clearAccount(realmId: string, userId: string): Promise<number> {
      return db.transaction(async (tx) => {
        const pairs = await tx
          .delete(t)
          .where(
            and(eq(t.realmId, realmId), sql`starts_with(${t.key}, ${throttleKeys.userIpPrefix(userId)})`),
          )
          .returning({ key: t.key });
        const own = await tx
          .delete(t)
          .where(and(eq(t.realmId, realmId), eq(t.key, throttleKeys.user(userId))))
          .returning({ key: t.key });
        return pairs.length + own.length;
      });
    },

    purgeStale,
  };
}

export type Throttle = ReturnType<typeof createThrottle>;
