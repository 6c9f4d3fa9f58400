import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "@/lib/clock";
import { tables } from "@/lib/db";
import type { Services } from "@/lib/services";
import { testRealm, testServices } from "@/test/db";
import { type SmtpCatcher, startSmtpCatcher } from "@/test/smtp-catcher.mjs";
import { createDelivery } from "./delivery";
import { createOutbox, LEASE_MS, MAX_ATTEMPTS, type OutboxEmail, RETENTION_DAYS } from "./outbox";
import { createSmtpTransport, type MailTransport, messageIdOf } from "./transport";

let smtp: SmtpCatcher;
beforeAll(async () => {
  smtp = await startSmtpCatcher();
});
afterAll(() => smtp.close());

const quiet = () => {};
const DAY = 86_400_000;

/** Services on a clock of the test's own, a realm, and a way to queue an email to a fresh address. */
async function setup(start: Date | string = new Date()) {
  const clock = fixedClock(start);
  const gh = await testServices({ clock });
  const { realm } = await testRealm(gh);
  let n = 0;
  const queue = async () => {
    const to = `r${Date.now().toString(36)}-${n++}@example.com`;
    const email = await gh.mailer.send({ realm, template: "welcome", to, user: { email: to } });
    return { to, email };
  };
  return { gh, realm, clock, queue };
}

/** Sends (nowhere) whatever else is due, so that a test's claims hold its own emails only. */
async function drain(gh: Services) {
  const accept: MailTransport = { kind: "development", send: async () => ({ messageId: null }) };
  const delivery = createDelivery({ outbox: gh.outbox, transport: accept, worker: "drain", log: quiet });
  await delivery.runOnce();
  await delivery.stop();
}

describe("email delivery recovers from crashes and gives up in the end", () => {
  it("an email claimed by a worker that died is claimed again after the lease and sent once", async () => {
    const { gh, realm, clock, queue } = await setup();
    await drain(gh);
    const { to, email } = await queue();
    // The worker that "crashes": claims (counts the attempt, takes the lease), then records nothing.
    const crashed = await gh.outbox.claim(10);
    expect(crashed.map((e) => e.id)).toContain(email.id);

    const delivery = createDelivery({
      outbox: gh.outbox,
      transport: await createSmtpTransport(smtp.url),
      worker: "survivor",
      log: quiet,
    });
    clock.advance(LEASE_MS - 1000);
    await delivery.runOnce();
    expect(smtp.find({ to })).toHaveLength(0);

    clock.advance(1000);
    await delivery.runOnce();
    await smtp.waitFor({ to });
    await delivery.runOnce();
    expect(smtp.find({ to })).toHaveLength(1);
    expect(await gh.outbox.find(realm.id, email.id)).toMatchObject({ status: "sent", attempts: 2 });
    expect(await gh.outbox.attempts(realm.id, [email.id])).toMatchObject([
      { ok: "sent", worker: "survivor" },
    ]);
    await delivery.stop();
  });

  it("a shorter lease (GATEHOUSE_MAIL_LEASE_SECONDS) brings a dead worker's email back sooner, with the same Message-ID", async () => {
    const { gh, realm, clock, queue } = await setup();
    await drain(gh);
    const { to, email } = await queue();
    const outbox = createOutbox({ db: gh.db, clock, leaseMs: 5_000 });
    expect((await outbox.claim(10)).map((e) => e.id)).toContain(email.id);
    clock.advance(4_900);
    expect((await outbox.claim(10)).map((e) => e.id)).not.toContain(email.id);
    clock.advance(100);
    const [again] = await outbox.claim(10);
    expect(again?.id).toBe(email.id);
    const transport = await createSmtpTransport(smtp.url);
    // Sent twice (the at-least-once window): both copies carry the one Message-ID of the email.
    await transport.send(again as OutboxEmail);
    await transport.send(again as OutboxEmail);
    const copies = smtp.find({ to });
    expect(copies).toHaveLength(2);
    expect(new Set(copies.map((m) => m.headers["message-id"]))).toEqual(new Set([messageIdOf(email)]));
    expect(messageIdOf(email)).toMatch(new RegExp(`^<${email.id}@[a-z0-9.-]+>$`));
    await outbox.markSent(again as OutboxEmail, "test", null);
    expect(await gh.outbox.find(realm.id, email.id)).toMatchObject({ status: "sent" });
  });

  it(`gives up after ${MAX_ATTEMPTS} failed attempts: status failed, every attempt recorded`, async () => {
    const { gh, realm, clock, queue } = await setup();
    const { to, email } = await queue();
    const delivery = createDelivery({
      outbox: gh.outbox,
      transport: await createSmtpTransport(smtp.url),
      worker: "w",
      log: quiet,
    });
    smtp.setDown(true);
    try {
      for (let i = 1; i <= MAX_ATTEMPTS; i++) {
        await delivery.runOnce();
        expect((await gh.outbox.find(realm.id, email.id))?.attempts).toBe(i);
        // Longer than the longest backoff (6 h + 20 % jitter).
        clock.advance(8 * 3600_000);
      }
    } finally {
      smtp.setDown(false);
    }
    const failed = await gh.outbox.find(realm.id, email.id);
    expect(failed).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS });
    expect(failed?.lastError).toBeTruthy();
    const attempts = await gh.outbox.attempts(realm.id, [email.id]);
    expect(attempts).toHaveLength(MAX_ATTEMPTS);
    expect(attempts.every((a) => a.ok === "failed" && a.error)).toBe(true);

    // Failed is final: the server is back, yet nothing is sent.
    clock.advance(DAY);
    await delivery.runOnce();
    expect(smtp.find({ to })).toHaveLength(0);
    await delivery.stop();
  });

  it("gives up on an email whose last attempt was claimed and never recorded", async () => {
    const { gh, realm, clock, queue } = await setup();
    await drain(gh);
    const { to, email } = await queue();
    await gh.db
      .update(tables.emailOutbox)
      .set({ attempts: MAX_ATTEMPTS - 1 })
      .where(and(eq(tables.emailOutbox.realmId, realm.id), eq(tables.emailOutbox.id, email.id)));
    const crashed = await gh.outbox.claim(10);
    expect(crashed.find((e) => e.id === email.id)?.attempts).toBe(MAX_ATTEMPTS);

    clock.advance(LEASE_MS);
    const delivery = createDelivery({
      outbox: gh.outbox,
      transport: await createSmtpTransport(smtp.url),
      worker: "w",
      log: quiet,
    });
    await delivery.runOnce();
    expect(await gh.outbox.find(realm.id, email.id)).toMatchObject({
      status: "failed",
      attempts: MAX_ATTEMPTS,
      lastError: expect.stringContaining("worker stopped"),
    });
    expect(smtp.find({ to })).toHaveLength(0);
    await delivery.stop();
  });

  it("stopping lets the email being sent finish and hands the rest of the claim back, due at once", async () => {
    const { gh, realm, queue } = await setup();
    await drain(gh);
    const queued = [await queue(), await queue(), await queue()];
    let releaseSend: () => void = () => {};
    let started: () => void = () => {};
    const sending = new Promise<void>((resolve) => {
      started = resolve;
    });
    const sent: string[] = [];
    const slow: MailTransport = {
      kind: "development",
      async send(email: OutboxEmail) {
        sent.push(email.id);
        started();
        await new Promise<void>((resolve) => {
          releaseSend = resolve;
        });
        return { messageId: "slow" };
      },
    };
    const delivery = createDelivery({ outbox: gh.outbox, transport: slow, worker: "stopping", batch: 3 });
    const pass = delivery.runOnce();
    await sending;
    const stopped = delivery.stop();
    releaseSend();
    await Promise.all([pass, stopped]);

    expect(sent).toHaveLength(1);
    const rows = await Promise.all(queued.map(({ email }) => gh.outbox.find(realm.id, email.id)));
    const first = rows.find((r) => r?.id === sent[0]);
    expect(first).toMatchObject({ status: "sent", attempts: 1 });
    const rest = rows.filter((r) => r?.id !== sent[0]);
    expect(rest).toHaveLength(2);
    for (const row of rest) {
      expect(row).toMatchObject({ status: "pending", attempts: 0 });
      expect(row?.nextAttemptAt.getTime()).toBeLessThanOrEqual(gh.clock.now().getTime());
    }
    // Another instance takes them at once, not after the lease.
    expect((await gh.outbox.claim(10)).map((e) => e.id).sort()).toEqual(rest.map((r) => r?.id).sort());
  });
});

describe("retention of sent and failed emails", () => {
  it(`deletes sent and failed emails (and their attempts) ${RETENTION_DAYS} days after they were queued; pending ones stay`, async () => {
    // Far in the past, so that no other test's emails are old enough to go.
    const { gh, realm, clock, queue } = await setup("1990-01-01T00:00:00Z");
    const worker = "w";
    const sent = (await queue()).email;
    await gh.outbox.markSent(sent, worker, null);
    const failed = (await queue()).email;
    await gh.outbox.markFailed({ ...failed, attempts: MAX_ATTEMPTS }, worker, "550 no such user");
    const pending = (await queue()).email;
    clock.advance(10 * DAY);
    const recent = (await queue()).email;
    await gh.outbox.markSent(recent, worker, null);

    clock.advance((RETENTION_DAYS - 10) * DAY + 1000);
    const delivery = createDelivery({
      outbox: gh.outbox,
      // Nothing is due for it to send but the pending one; keep that one pending.
      transport: { kind: "development", send: () => Promise.reject(new Error("not now")) },
      worker,
      log: quiet,
    });
    await delivery.runOnce();
    const left = async (email: OutboxEmail) => gh.outbox.find(realm.id, email.id);
    expect(await left(sent)).toBeNull();
    expect(await left(failed)).toBeNull();
    expect(await left(pending)).not.toBeNull();
    expect(await left(recent)).not.toBeNull();
    const attempts = await gh.db
      .select()
      .from(tables.emailAttempts)
      .where(eq(tables.emailAttempts.realmId, realm.id));
    expect(attempts.map((a) => a.emailId).sort()).toEqual([pending.id, recent.id].sort());

    // Occasionally, not at every pass: the next one within the hour deletes nothing.
    clock.advance(10 * DAY);
    await delivery.runOnce();
    expect(await left(recent)).not.toBeNull();
    expect(await gh.outbox.purge()).toBe(1);
    expect(await left(recent)).toBeNull();
    await delivery.stop();
  });
});
