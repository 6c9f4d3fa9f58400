import { describe, expect, it } from "vitest";
import { newCounter } from "./policy";
import { decideSecondFactor, MFA_LOCK_AFTER, MFA_LOCK_MS, refundSecondFactor } from "./second-factor";

const start = new Date("2026-11-29T12:00:00Z");
const at = (ms: number) => new Date(start.getTime() + ms);

describe("second-factor lock (10 consecutive failures, 15 minutes)", () => {
  it("locks at the tenth consecutive attempt and refuses without extending the lock", () => {
    let counter = newCounter(start);
    for (let i = 1; i < MFA_LOCK_AFTER; i++) {
      const d = decideSecondFactor(counter, at(i * 1000));
      expect(d.refusal).toBeNull();
      expect(d.lockStarted).toBeNull();
      counter = d.next;
    }
    const tenth = decideSecondFactor(counter, at(10_000));
    expect(tenth.refusal).toBeNull();
    expect(tenth.lockStarted).toEqual({ until: at(10_000 + MFA_LOCK_MS), failures: MFA_LOCK_AFTER });
    counter = tenth.next;

    const refused = decideSecondFactor(counter, at(10_000 + MFA_LOCK_MS - 1));
    expect(refused.refusal).toBe("locked");
    expect(refused.next).toBe(counter);

    // Over: a fresh streak of ten.
    const after = decideSecondFactor(counter, at(10_000 + MFA_LOCK_MS));
    expect(after.refusal).toBeNull();
    expect(after.next.streak).toBe(1);
    expect(after.next.lockedUntil).toBeNull();
  });

  it("a success ends the streak, and a lock started while it was being checked", () => {
    let counter = newCounter(start);
    for (let i = 0; i < MFA_LOCK_AFTER; i++) counter = decideSecondFactor(counter, at(i)).next;
    expect(counter.lockedUntil).not.toBeNull();
    const refunded = refundSecondFactor(counter, at(20));
    expect(refunded).toMatchObject({ streak: 0, lockedUntil: null });
    expect(decideSecondFactor(refunded, at(30)).next.streak).toBe(1);
  });

  it("forgets a streak after a quiet hour", () => {
    let counter = newCounter(start);
    for (let i = 0; i < MFA_LOCK_AFTER - 1; i++) counter = decideSecondFactor(counter, at(i)).next;
    const later = decideSecondFactor(counter, at(60 * 60_000 + 10));
    expect(later.next.streak).toBe(1);
    expect(later.lockStarted).toBeNull();
  });
});
