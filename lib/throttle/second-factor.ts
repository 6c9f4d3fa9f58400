import { type Counter, current } from "./policy";

/**
 * Second-factor attempts of one user (`mfa:<userId>`), across login flows: after MFA_LOCK_AFTER
 * consecutive failures (TOTP or recovery codes; a streak is forgotten after a quiet hour, like the
 * password's), every further attempt is refused for MFA_LOCK_MS without its code being looked at.
 * The pages answer a refusal exactly like a wrong code. A success ends the streak.
 *
 * Like password attempts (policy.ts), each attempt is counted as a failure before its code is
 * evaluated and given back if it succeeds, so a burst of parallel guesses cannot slip past the
 * limit: at most MFA_LOCK_AFTER of them are ever evaluated.
 */
export const MFA_LOCK_AFTER = 10;
export const MFA_LOCK_MS = 15 * 60_000;

export interface SecondFactorDecision {
  refusal: "locked" | null;
  /** The counter to store (unchanged when refused: a refusal does not extend the lock). */
  next: Counter;
  /** Set when this attempt's reservation started the lock. */
  lockStarted: { until: Date; failures: number } | null;
}

export function decideSecondFactor(read: Counter, now: Date): SecondFactorDecision {
  let counter = current(read, now);
  // A lock that has run its course is forgotten: the streak starts over.
  if (counter.lockedUntil && counter.lockedUntil.getTime() <= now.getTime())
    counter = { ...counter, lockedUntil: null, streak: 0 };
  if (counter.lockedUntil) return { refusal: "locked", next: read, lockStarted: null };
  const streak = counter.streak + 1;
  const lockedUntil = streak >= MFA_LOCK_AFTER ? new Date(now.getTime() + MFA_LOCK_MS) : null;
  return {
    refusal: null,
    next: { ...counter, streak, lockedUntil, updatedAt: now },
    lockStarted: lockedUntil ? { until: lockedUntil, failures: streak } : null,
  };
}

/**
 * A correct code proves the user: the streak ends, and so does a lock that reservations made while
 * this attempt was being evaluated (a lock in force before it would have refused it).
 */
export function refundSecondFactor(read: Counter, now: Date): Counter {
  return { ...read, streak: 0, lockedUntil: null, updatedAt: now };
}
