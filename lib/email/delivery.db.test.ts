import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "@/lib/clock";
import { testRealm, testServices } from "@/test/db";
import { type SmtpCatcher, startSmtpCatcher } from "@/test/smtp-catcher.mjs";
import { createDelivery } from "./delivery";
import { createOutbox } from "./outbox";
import { createSmtpTransport } from "./transport";

let smtp: SmtpCatcher;
beforeAll(async () => {
  smtp = await startSmtpCatcher();
});
afterAll(() => smtp.close());

describe("email delivery over SMTP", () => {
  it("sends a queued email through a real SMTP server, once, and records the attempt", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    const email = await gh.mailer.send({
      realm,
      template: "welcome",
      to: "ada@example.com",
      user: { email: "ada@example.com", firstName: "Ada", lastName: "Lovelace" },
    });
    const delivery = createDelivery({
      outbox: gh.outbox,
      transport: await createSmtpTransport(smtp.url),
      worker: "w1",
    });
    await delivery.runOnce();
    const got = await smtp.waitFor({ to: "ada@example.com", subject: `Welcome to ${realm.name}` });
    expect(got.text).toContain("Hello Ada Lovelace");
    expect(got.from).toContain(realm.name);
    expect((await gh.outbox.find(realm.id, email.id))?.status).toBe("sent");
    await delivery.runOnce();
    expect(smtp.find({ to: "ada@example.com" })).toHaveLength(1);
    expect(await gh.outbox.attempts(realm.id, [email.id])).toMatchObject([{ ok: "sent", worker: "w1" }]);
    await delivery.stop();
  });

  it("retries with backoff while the SMTP server is down and delivers once it is back", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    const to = `down-${Date.now()}@example.com`;
    const email = await gh.mailer.send({ realm, template: "welcome", to, user: { email: to } });
    const clock = fixedClock(new Date());
    const outbox = createOutbox({ db: gh.db, clock });
    const delivery = createDelivery({
      outbox,
      transport: await createSmtpTransport(smtp.url),
      worker: "w",
      log: () => {},
    });
    smtp.setDown(true);
    try {
      await delivery.runOnce();
      const failed = await outbox.find(realm.id, email.id);
      expect(failed).toMatchObject({ status: "pending", attempts: 1 });
      expect(failed?.lastError).toBeTruthy();
      // Not due again before the backoff.
      await delivery.runOnce();
      expect((await outbox.find(realm.id, email.id))?.attempts).toBe(1);
    } finally {
      smtp.setDown(false);
    }
    clock.advance(60_000);
    await delivery.runOnce();
    await smtp.waitFor({ to });
    expect(await outbox.find(realm.id, email.id)).toMatchObject({ status: "sent", attempts: 2 });
    expect((await outbox.attempts(realm.id, [email.id])).map((a) => a.ok)).toEqual(["failed", "sent"]);
    expect(smtp.find({ to })).toHaveLength(1);
    await delivery.stop();
  });

  it("two workers draining one outbox send every email exactly once", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    const tag = `pair-${Date.now()}`;
    const addresses = Array.from({ length: 20 }, (_, i) => `${tag}-${i}@example.com`);
    for (const to of addresses) await gh.mailer.send({ realm, template: "welcome", to, user: { email: to } });
    const make = async (worker: string) =>
      createDelivery({ outbox: gh.outbox, transport: await createSmtpTransport(smtp.url), worker, batch: 3 });
    const [a, b] = [await make("a"), await make("b")];
    await Promise.all([a.runOnce(), b.runOnce()]);
    for (const to of addresses) await smtp.waitFor({ to });
    const counts = addresses.map((to) => smtp.find({ to }).length);
    expect(counts).toEqual(addresses.map(() => 1));
    await Promise.all([a.stop(), b.stop()]);
  });

  it("keeps no live link in the outbox once the email has gone over SMTP", async () => {
    const gh = await testServices();
    const { realm } = await testRealm(gh);
    const to = `redact-${Date.now()}@example.com`;
    const secret = "S3cr3t_link-secret_0123456789abcdefghijklmnop";
    const email = await gh.mailer.send({
      realm,
      template: "password_reset",
      to,
      user: { email: to },
      vars: { link: `${gh.realmUrl(realm)}/reset?token=${secret}&x=1`, expires_in_minutes: 60 },
    });
    const delivery = createDelivery({ outbox: gh.outbox, transport: await createSmtpTransport(smtp.url) });
    await delivery.runOnce();
    expect((await smtp.waitFor({ to })).text).toContain(secret);
    const stored = await gh.outbox.find(realm.id, email.id);
    expect(stored?.status).toBe("sent");
    expect(`${stored?.text}${stored?.html}`).not.toContain(secret);
    expect(stored?.text).toContain("/reset?token=redacted");
    await delivery.stop();
  });
});
