import { describe, expect, it } from "vitest";
import { fixedClock } from "@/lib/clock";
import { testRealm, testServices } from "@/test/db";
import { MFA_LOCK_AFTER, MFA_LOCK_MS } from "./second-factor";

describe("second-factor reservations (database)", () => {
  it("of a burst of parallel attempts, at most ten are evaluated before the lock", async () => {
    const clock = fixedClock("2026-11-29T12:00:00Z");
    const gh = await testServices({ clock });
    const { realm } = await testRealm(gh);
    const user = await gh.users.create(realm, { email: "burst@example.com" });
    const attempts = await Promise.all(
      Array.from({ length: 30 }, () => gh.throttle.reserveSecondFactor(realm.id, user.id)),
    );
    expect(attempts.filter((a) => a.refusal === null)).toHaveLength(MFA_LOCK_AFTER);
    expect(attempts.filter((a) => a.lockStarted)).toHaveLength(1);

    // Another user of the realm is not affected.
    const other = await gh.users.create(realm, { email: "other@example.com" });
    expect((await gh.throttle.reserveSecondFactor(realm.id, other.id)).refusal).toBeNull();

    clock.advance(MFA_LOCK_MS);
    const after = await gh.throttle.reserveSecondFactor(realm.id, user.id);
    expect(after.refusal).toBeNull();
    expect(after.lockStarted).toBeNull();
  });

  it("a success ends the streak", async () => {
    const clock = fixedClock("2026-11-29T12:00:00Z");
    const gh = await testServices({ clock });
    const { realm } = await testRealm(gh);
    const user = await gh.users.create(realm, { email: "streak@example.com" });
    for (let i = 0; i < MFA_LOCK_AFTER - 1; i++) await gh.throttle.reserveSecondFactor(realm.id, user.id);
    await (await gh.throttle.reserveSecondFactor(realm.id, user.id)).succeeded();
    for (let i = 0; i < MFA_LOCK_AFTER - 1; i++) {
      const attempt = await gh.throttle.reserveSecondFactor(realm.id, user.id);
      expect(attempt.refusal).toBeNull();
      expect(attempt.lockStarted).toBeNull();
    }
  });
});
