/**
 * The arithmetic of login throttling, without a database: given the counters as they are, what
 * happens to an attempt and what the counters become. lib/throttle/throttle.ts stores the result.
 *
 * Three counters take part in every password attempt:
 * - the account (`user:<id>`, or `login:<identifier>` when no account matches):
 *   `streak` = consecutive evaluated failures, driving the progressive delay (`next_allowed_at`);
 *   `locked_until` = the hourly cap (see `capAdvance`); `count` = evaluated failures this window;
 * - the account from one address (`user-ip:…`): `count` = failed attempts this window; reaching
 *   `login_lock_after_failures` locks the pair (`locked_until`) for `login_lock_minutes`;
 * - the address (`ip:…`): `count` = failed attempts this window, across all accounts.
 *
 * An attempt is counted as a failure *before* its password is evaluated (a reservation), and
 * refunded when it turns out to succeed. That is what makes parallel bursts safe: the counters
 * already stand at N while N evaluations are still running.
 */

export const WINDOW_MS = 60 * 60_000;

/** Evaluated failures per account in any 60 minutes: a hard limit, whatever the settings say. */
export const ACCOUNT_FAILURES_PER_HOUR = 100;
/** Of those, how many may come at once; the rest refill evenly over the hour (72 s each). */
export const ACCOUNT_BURST = 50;
export const CAP_INTERVAL_MS = WINDOW_MS / (ACCOUNT_FAILURES_PER_HOUR - ACCOUNT_BURST);
const CAP_TOLERANCE_MS = (ACCOUNT_BURST - 1) * CAP_INTERVAL_MS;

export const FIRST_DELAY_MS = 1_000;
export const MAX_DELAY_MS = 60_000;
/** A failure streak is forgotten after this long without any failure. */
export const STREAK_MEMORY_MS = WINDOW_MS;

export interface Counter {
  windowStartedAt: Date;
  count: number;
  streak: number;
  nextAllowedAt: Date | null;
  lockedUntil: Date | null;
  updatedAt: Date;
}

export interface LoginLimits {
  /** Consecutive failures per account after which each attempt waits (login_delay_after_failures). */
  delayAfter: number;
  /** Failed attempts per account and address within the window that lock the pair. */
  lockAfter: number;
  lockMs: number;
  /** Failed attempts per address within the window (login_ip_failures_per_hour). */
  ipPerWindow: number;
}

/** Why an attempt was refused without evaluating its password (event reasons). */
export type LoginRefusal = "locked" | "ip_limited" | "account_hourly_cap" | "delayed";

export function newCounter(now: Date): Counter {
  return {
    windowStartedAt: now,
    count: 0,
    streak: 0,
    nextAllowedAt: null,
    lockedUntil: null,
    updatedAt: now,
  };
}

const after = (a: Date | null, now: Date) => a !== null && a.getTime() > now.getTime();
const plus = (now: Date, ms: number) => new Date(now.getTime() + ms);

export function windowExpired(counter: Counter, now: Date, windowMs = WINDOW_MS): boolean {
  return now.getTime() - counter.windowStartedAt.getTime() >= windowMs;
}

/** The counter as it stands now: a new window once the old one is over; a streak forgotten after a quiet hour. */
export function current(counter: Counter, now: Date): Counter {
  let c = counter;
  if (windowExpired(c, now)) c = { ...c, windowStartedAt: now, count: 0 };
  if (now.getTime() - c.updatedAt.getTime() >= STREAK_MEMORY_MS) c = { ...c, streak: 0, nextAllowedAt: null };
  return c;
}

/**
 * The progressive delay after the `streak`-th consecutive failure: none before `delayAfter`
 * failures, then 1 s, 2 s, 4 s, … doubling up to 60 s.
 */
export function delayMs(streak: number, delayAfter: number): number {
  if (streak < delayAfter) return 0;
  return Math.min(FIRST_DELAY_MS * 2 ** Math.min(streak - delayAfter, 16), MAX_DELAY_MS);
}

/**
 * The hourly cap per account as a sliding window, not a fixed one (a fixed window lets 100
 * failures at 12:59 be followed by 100 more at 13:00). It is the generic cell rate algorithm:
 * `cappedUntil` is the earliest time the next failure may be evaluated; each failure moves it by
 * 72 s, and it may run up to 49 intervals behind the present. So 50 failures may come at once, then
 * one per 72 s, and any 60 minutes hold at most 50 + 3600/72 = 100.
 */
export function capAllows(cappedUntil: Date | null, now: Date): boolean {
  return !after(cappedUntil, now);
}

export function capAdvance(cappedUntil: Date | null, now: Date): Date {
  const floor = now.getTime() - CAP_TOLERANCE_MS;
  return new Date(Math.max(cappedUntil?.getTime() ?? floor, floor) + CAP_INTERVAL_MS);
}

/**
 * Gives back the cap interval of an attempt that turned out to succeed, minus the part that has
 * already elapsed since it was reserved. Never more: attempts reserved since then may have built on
 * it, and handing back too much would let a 101st failure into some hour.
 */
export function capRefund(cappedUntil: Date | null, reservedAt: Date, now: Date): Date | null {
  if (!cappedUntil) return null;
  const back = Math.max(0, CAP_INTERVAL_MS - Math.max(0, now.getTime() - reservedAt.getTime()));
  return new Date(cappedUntil.getTime() - back);
}

export interface LoginCounters {
  account: Counter;
  pair: Counter;
  ip: Counter;
}

export interface LoginDecision {
  refusal: LoginRefusal | null;
  /** The counters to store. Only the ones listed in `changed` differ from what was read. */
  next: LoginCounters;
  changed: Array<keyof LoginCounters>;
  /** Set when this attempt started a lock of the account+address pair. */
  lockStarted: { until: Date; failures: number } | null;
}

/** Reserves a password attempt, or refuses it. */
export function decideLogin(read: LoginCounters, limits: LoginLimits, now: Date): LoginDecision {
  const account = current(read.account, now);
  let pair = current(read.pair, now);
  const ip = current(read.ip, now);
  // A lock that has run its course is forgotten: the pair starts over.
  if (pair.lockedUntil && !after(pair.lockedUntil, now)) pair = { ...pair, lockedUntil: null, count: 0 };

  let refusal: LoginRefusal | null = null;
  if (pair.lockedUntil) refusal = "locked";
  else if (ip.count >= limits.ipPerWindow) refusal = "ip_limited";
  else if (!capAllows(account.lockedUntil, now)) refusal = "account_hourly_cap";
  else if (after(account.nextAllowedAt, now)) refusal = "delayed";

  const next: LoginCounters = { ...read, ip: { ...ip, count: ip.count + 1, updatedAt: now } };
  const changed: Array<keyof LoginCounters> = ["ip"];
  let lockStarted: LoginDecision["lockStarted"] = null;

  // Every failed attempt from an address counts towards locking the pair, evaluated or not (so an
  // address that keeps hammering a delayed account ends up locked); a locked pair counts no further.
  if (refusal !== "locked") {
    const failures = pair.count + 1;
    const lockedUntil = failures >= limits.lockAfter ? plus(now, limits.lockMs) : null;
    if (lockedUntil) lockStarted = { until: lockedUntil, failures };
    next.pair = { ...pair, count: failures, lockedUntil, updatedAt: now };
    changed.push("pair");
  }

  // The account moves only for attempts that are evaluated: refusals must not extend the delay a
  // real user is waiting out.
  if (!refusal) {
    const streak = account.streak + 1;
    const delay = delayMs(streak, limits.delayAfter);
    next.account = {
      ...account,
      count: account.count + 1,
      streak,
      nextAllowedAt: delay ? plus(now, delay) : null,
      lockedUntil: capAdvance(account.lockedUntil, now),
      updatedAt: now,
    };
    changed.push("account");
  }
  return { refusal, next, changed, lockStarted };
}

/** What a reservation remembers, so that a success can give it back exactly. */
export interface Reservation {
  reservedAt: Date;
  /** Window start of each counter right after the reservation: a count is refunded only in its own window. */
  windows: Record<keyof LoginCounters, number>;
  lockStarted: { until: Date } | null;
}

/**
 * A success is never a failure: the reservation's counts go back, the account's streak and delay
 * end. The hourly cap gets back only what `capRefund` allows.
 */
export function refundLogin(read: LoginCounters, reservation: Reservation, now: Date): LoginCounters {
  const uncount = (c: Counter, key: keyof LoginCounters): Counter =>
    c.windowStartedAt.getTime() === reservation.windows[key] ? { ...c, count: Math.max(0, c.count - 1) } : c;
  const pair = uncount(read.pair, "pair");
  const lockedByUs =
    reservation.lockStarted !== null &&
    pair.lockedUntil?.getTime() === reservation.lockStarted.until.getTime();
  return {
    account: {
      ...uncount(read.account, "account"),
      streak: 0,
      nextAllowedAt: null,
      lockedUntil: capRefund(read.account.lockedUntil, reservation.reservedAt, now),
      updatedAt: now,
    },
    pair: { ...pair, lockedUntil: lockedByUs ? null : pair.lockedUntil, updatedAt: now },
    ip: { ...uncount(read.ip, "ip"), updatedAt: now },
  };
}

/** A counter's state as an administrator sees it. */
export function describeAccount(counter: Counter, now: Date) {
  const c = current(counter, now);
  return {
    failuresThisWindow: c.count,
    consecutiveFailures: c.streak,
    delayedUntil: after(c.nextAllowedAt, now) ? c.nextAllowedAt : null,
    cappedUntil: capAllows(c.lockedUntil, now) ? null : c.lockedUntil,
  };
}

export function describePair(counter: Counter, now: Date) {
  const c = current(counter, now);
  return { failuresThisWindow: c.count, lockedUntil: after(c.lockedUntil, now) ? c.lockedUntil : null };
}
