import { describe, expect, it } from "vitest";
import { createDelivery, sendTimeoutFor } from "./delivery";
import type { Outbox, OutboxEmail } from "./outbox";
import type { MailTransport } from "./transport";

const email = { id: "em_1", realmId: "rl_1", toAddress: "a@example.com", attempts: 1 } as OutboxEmail;
const transport: MailTransport = { kind: "development", send: async () => ({ messageId: null }) };

/** An outbox whose every method fails like a database that went away. */
function brokenOutbox(overrides: Partial<Outbox> = {}): Outbox {
  const down = async () => {
    throw new Error("connection terminated");
  };
  return {
    claim: down,
    markSent: down,
    markFailed: down,
    release: down,
    purge: down,
    ...overrides,
  } as unknown as Outbox;
}

describe("the delivery worker", () => {
  it("survives a database that fails every call: each pass logs and resolves", async () => {
    const logged: string[] = [];
    const delivery = createDelivery({ outbox: brokenOutbox(), transport, log: (l) => logged.push(l) });
    await expect(delivery.runOnce()).resolves.toBe(0);
    expect(logged).toEqual([
      "[mail] delivery pass failed: connection terminated",
      "[mail] purging old emails failed: connection terminated",
    ]);
    delivery.start();
    delivery.wake();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await delivery.stop();
  });

  it("never records a delivered email as failed when recording its success fails", async () => {
    const failedMarks: string[] = [];
    let claims = 0;
    const outbox = brokenOutbox({
      claim: async () => (claims++ === 0 ? [email] : []),
      markFailed: async (e) => {
        failedMarks.push(e.id);
      },
      purge: async () => 0,
    });
    const logged: string[] = [];
    const delivery = createDelivery({ outbox, transport, log: (l) => logged.push(l) });
    await delivery.runOnce();
    expect(failedMarks).toEqual([]);
    expect(logged).toEqual(["[mail] delivery pass failed: connection terminated"]);
  });

  it("purges at the first pass and then at most once per purgeEveryMs", async () => {
    let purges = 0;
    const outbox = brokenOutbox({
      claim: async () => [],
      purge: async () => {
        purges++;
        return 0;
      },
    });
    const delivery = createDelivery({ outbox, transport, purgeEveryMs: 3600_000, log: () => {} });
    await delivery.runOnce();
    await delivery.runOnce();
    expect(purges).toBe(1);
  });
});

describe("sendTimeoutFor", () => {
  it("keeps an attempt inside half the lease, and at most 60 s", () => {
    expect(sendTimeoutFor(120_000)).toBe(60_000);
    expect(sendTimeoutFor(600_000)).toBe(60_000);
    expect(sendTimeoutFor(4_000)).toBe(2_000);
  });
});
