import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fixedClock } from "@/lib/clock";
import {
  ACCOUNT_FAILURES_PER_HOUR,
  CAP_INTERVAL_MS,
  type Counter,
  capAdvance,
  capAllows,
  capRefund,
  current,
  decideLogin,
  delayMs,
  type LoginCounters,
  type LoginLimits,
  newCounter,
  type Reservation,
  refundLogin,
  WINDOW_MS,
} from "./policy";

const limits: LoginLimits = { delayAfter: 5, lockAfter: 100, lockMs: 60 * 60_000, ipPerWindow: 1000 };

/** Runs attempts through decideLogin the way the store does: read, decide, keep what changed. */
function simulator(start = "2030-01-01T00:00:00Z", l: LoginLimits = limits) {
  const clock = fixedClock(start);
  const counters = new Map<string, Counter>();
  const read = (key: string) => counters.get(key) ?? newCounter(clock.now());
  return {
    clock,
    counters,
    attempt(account = "acct", ip = "ip1") {
      const keys = { account, pair: `${account}|${ip}`, ip };
      const decision = decideLogin(
        { account: read(keys.account), pair: read(keys.pair), ip: read(keys.ip) },
        l,
        clock.now(),
      );
      for (const name of decision.changed) counters.set(keys[name], decision.next[name]);
      return decision;
    },
    get: read,
  };
}

describe("progressive delay", () => {
  it("none before the threshold, then 1 s doubling up to 60 s", () => {
    expect([1, 2, 3, 4].map((s) => delayMs(s, 5))).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8, 9, 10, 11, 12, 200].map((s) => delayMs(s, 5) / 1000)).toEqual([
      1, 2, 4, 8, 16, 32, 60, 60, 60,
    ]);
  });

  it("evaluates `delayAfter` failures at once, then refuses until the delay has passed", () => {
    const sim = simulator();
    const refusals = Array.from({ length: 8 }, () => sim.attempt().refusal);
    expect(refusals).toEqual([null, null, null, null, null, "delayed", "delayed", "delayed"]);
    sim.clock.advance(999);
    expect(sim.attempt().refusal).toBe("delayed");
    sim.clock.advance(1);
    expect(sim.attempt().refusal).toBeNull(); // 6th failure: next wait is 2 s
    sim.clock.advance(1999);
    expect(sim.attempt().refusal).toBe("delayed");
    sim.clock.advance(1);
    expect(sim.attempt().refusal).toBeNull();
  });

  it("refused attempts do not extend the delay or the streak", () => {
    const sim = simulator();
    for (let i = 0; i < 5; i++) sim.attempt();
    const before = sim.get("acct");
    for (let i = 0; i < 20; i++) expect(sim.attempt().refusal).toBe("delayed");
    expect(sim.get("acct")).toEqual(before);
  });

  it("forgets a streak after an hour without failures", () => {
    const sim = simulator();
    for (let i = 0; i < 5; i++) sim.attempt();
    sim.clock.advance(WINDOW_MS);
    const decision = sim.attempt();
    expect(decision.refusal).toBeNull();
    expect(decision.next.account.streak).toBe(1);
    expect(decision.next.account.nextAllowedAt).toBeNull();
  });
});

describe("account + address lock", () => {
  const strict: LoginLimits = { ...limits, delayAfter: 50, lockAfter: 3, lockMs: 10 * 60_000 };

  it("locks the pair at the threshold, for login_lock_minutes, and only that pair", () => {
    const sim = simulator(undefined, strict);
    expect(sim.attempt().lockStarted).toBeNull();
    expect(sim.attempt().lockStarted).toBeNull();
    const third = sim.attempt();
    expect(third.refusal).toBeNull(); // the failure that reaches the threshold is still evaluated
    expect(third.lockStarted).toEqual({ until: new Date("2030-01-01T00:10:00Z"), failures: 3 });
    expect(sim.attempt().refusal).toBe("locked");
    expect(sim.attempt("acct", "ip2").refusal).toBeNull();
    sim.clock.advance(10 * 60_000 - 1);
    expect(sim.attempt().refusal).toBe("locked");
  });

  it("starts the pair over once the lock has run out", () => {
    const sim = simulator(undefined, strict);
    for (let i = 0; i < 3; i++) sim.attempt();
    sim.clock.advance(10 * 60_000);
    const after = sim.attempt();
    expect(after.refusal).toBeNull();
    expect(after.next.pair).toMatchObject({ count: 1, lockedUntil: null });
  });

  it("counts refused attempts of a hammering address towards its lock", () => {
    const sim = simulator(undefined, { ...limits, lockAfter: 10 });
    const refusals = Array.from({ length: 11 }, () => sim.attempt().refusal);
    expect(refusals.filter((r) => r === null)).toHaveLength(5);
    expect(refusals.slice(5, 10)).toEqual(Array(5).fill("delayed"));
    expect(refusals[10]).toBe("locked");
  });
});

describe("address budget", () => {
  it("refuses an address over its hourly budget, across accounts, until the window rolls", () => {
    const sim = simulator(undefined, { ...limits, ipPerWindow: 10 });
    for (let i = 0; i < 10; i++) expect(sim.attempt(`acct${i}`).refusal).toBeNull();
    const refused = sim.attempt("fresh");
    expect(refused.refusal).toBe("ip_limited");
    expect(refused.changed).not.toContain("account");
    expect(sim.attempt("fresh", "ip2").refusal).toBeNull();
    sim.clock.advance(WINDOW_MS);
    expect(sim.attempt("fresh").refusal).toBeNull();
  });

  it("names the strongest reason when several apply", () => {
    const sim = simulator(undefined, { ...limits, lockAfter: 3, ipPerWindow: 10 });
    for (let i = 0; i < 3; i++) sim.attempt();
    for (let i = 0; i < 7; i++) sim.attempt(`other${i}`);
    expect(sim.attempt().refusal).toBe("locked");
  });
});

describe("hourly cap per account (sliding)", () => {
  it("allows 50 at once, then one per 72 s", () => {
    const start = new Date("2030-01-01T00:00:00Z");
    let capped: Date | null = null;
    let allowed = 0;
    while (capAllows(capped, start)) {
      capped = capAdvance(capped, start);
      allowed++;
    }
    expect(allowed).toBe(50);
    expect(capAllows(capped, new Date(start.getTime() + CAP_INTERVAL_MS - 1))).toBe(false);
    expect(capAllows(capped, new Date(start.getTime() + CAP_INTERVAL_MS))).toBe(true);
  });

  it("refuses an account at the cap with its own reason, from any address", () => {
    const sim = simulator(undefined, { ...limits, delayAfter: 50 });
    for (let i = 0; i < 50; i++) expect(sim.attempt("acct", `ip${i}`).refusal).toBeNull();
    expect(sim.attempt("acct", "ip-new").refusal).toBe("account_hourly_cap");
    sim.clock.advance(CAP_INTERVAL_MS - 1);
    expect(sim.attempt("acct", "ip-newer").refusal).toBe("account_hourly_cap");
    sim.clock.advance(1);
    expect(sim.attempt("acct", "ip-newest").refusal).toBeNull();
  });

  it("never lets more than 100 evaluated failures into any 60 minutes, refunds included", () => {
    const step = fc.record({
      gapMs: fc.integer({ min: 0, max: 90_000 }),
      succeeds: fc.boolean(),
      latencyMs: fc.integer({ min: 0, max: 5_000 }),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 50, maxLength: 400 }), (steps) => {
        let now = Date.UTC(2030, 0, 1);
        let capped: Date | null = null;
        const failures: number[] = [];
        const refunds: Array<{ at: number; reservedAt: number }> = [];
        const settleUntil = (t: number) => {
          refunds.sort((a, b) => a.at - b.at);
          while (refunds.length && (refunds[0]?.at ?? Infinity) <= t) {
            const r = refunds.shift();
            if (r) capped = capRefund(capped, new Date(r.reservedAt), new Date(r.at));
          }
        };
        for (const s of steps) {
          now += s.gapMs;
          settleUntil(now);
          if (!capAllows(capped, new Date(now))) continue;
          capped = capAdvance(capped, new Date(now));
          if (s.succeeds) refunds.push({ at: now + s.latencyMs, reservedAt: now });
          else failures.push(now);
        }
        for (let i = 0; i < failures.length; i++) {
          const from = failures[i] ?? 0;
          const inHour = failures.filter((f) => f >= from && f <= from + WINDOW_MS).length;
          expect(inHour).toBeLessThanOrEqual(ACCOUNT_FAILURES_PER_HOUR);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("is not stricter than it says: a steady attacker gets 100 into the first hour", () => {
    let capped: Date | null = null;
    let evaluated = 0;
    for (let t = 0; t <= WINDOW_MS; t += 1000) {
      const now = new Date(Date.UTC(2030, 0, 1) + t);
      if (!capAllows(capped, now)) continue;
      capped = capAdvance(capped, now);
      evaluated++;
    }
    expect(evaluated).toBe(100);
  });

  it("a refund right after the reservation restores the cap exactly", () => {
    const now = new Date("2030-01-01T00:00:00Z");
    const before = new Date(now.getTime() + 10_000);
    const after = capAdvance(before, now);
    expect(capRefund(after, now, now)).toEqual(before);
    // Time that has passed since the reservation is not handed back.
    expect(capRefund(after, now, new Date(now.getTime() + 2_000))?.getTime()).toBe(before.getTime() + 2_000);
    expect(capRefund(after, now, new Date(now.getTime() + CAP_INTERVAL_MS))).toEqual(after);
  });
});

describe("a success gives its reservation back", () => {
  function reserveThenRefund(setup: (sim: ReturnType<typeof simulator>) => void, l = limits) {
    const sim = simulator(undefined, l);
    setup(sim);
    const keys = { account: "acct", pair: "acct|ip1", ip: "ip1" };
    const decision = sim.attempt();
    const reservation: Reservation = {
      reservedAt: sim.clock.now(),
      windows: {
        account: decision.next.account.windowStartedAt.getTime(),
        pair: decision.next.pair.windowStartedAt.getTime(),
        ip: decision.next.ip.windowStartedAt.getTime(),
      },
      lockStarted: decision.lockStarted,
    };
    const read: LoginCounters = {
      account: sim.get(keys.account),
      pair: sim.get(keys.pair),
      ip: sim.get(keys.ip),
    };
    return { sim, decision, refunded: refundLogin(read, reservation, sim.clock.now()) };
  }

  it("uncounts everywhere and ends the streak and its delay", () => {
    const { refunded } = reserveThenRefund((sim) => {
      for (let i = 0; i < 4; i++) sim.attempt();
    });
    expect(refunded.account).toMatchObject({ count: 4, streak: 0, nextAllowedAt: null });
    expect(refunded.pair.count).toBe(4);
    expect(refunded.ip.count).toBe(4);
  });

  it("lifts a lock that the successful attempt itself started", () => {
    const { decision, refunded } = reserveThenRefund(
      (sim) => {
        sim.attempt();
        sim.attempt();
      },
      { ...limits, lockAfter: 3 },
    );
    expect(decision.lockStarted).not.toBeNull();
    expect(refunded.pair).toMatchObject({ count: 2, lockedUntil: null });
  });

  it("does not uncount in a window that has rolled since", () => {
    const read = newCounter(new Date("2030-01-01T01:00:00Z"));
    read.count = 3;
    const refunded = refundLogin(
      { account: read, pair: read, ip: read },
      {
        reservedAt: new Date("2030-01-01T00:59:59Z"),
        windows: { account: 0, pair: 0, ip: 0 },
        lockStarted: null,
      },
      new Date("2030-01-01T01:00:00Z"),
    );
    expect(refunded.ip.count).toBe(3);
  });
});

describe("current()", () => {
  it("rolls the window after an hour, keeping a lock", () => {
    const start = new Date("2030-01-01T00:00:00Z");
    const c: Counter = { ...newCounter(start), count: 7, lockedUntil: new Date("2030-01-01T02:00:00Z") };
    const rolled = current(c, new Date(start.getTime() + WINDOW_MS));
    expect(rolled.count).toBe(0);
    expect(rolled.lockedUntil).toEqual(c.lockedUntil);
  });
});
