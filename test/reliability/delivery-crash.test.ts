import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SmtpCatcher, startSmtpCatcher } from "@/test/smtp-catcher.mjs";
import { adminApi } from "./support/admin";
import { type Portal, startPortal } from "./support/portal";
import { PORTS } from "./support/ports";
import { createDatabase, sqlClient } from "./support/postgres";

/**
 * An instance is killed (SIGKILL) in the middle of delivering email; a second instance takes its
 * work over once the claims' lease ends (GATEHOUSE_MAIL_LEASE_SECONDS=8 here; 120 s by default).
 *
 * What "nothing sent twice" can honestly mean: delivery is at least once. If the SMTP server
 * accepts an email (its 250) and the worker dies before recording that, the email is sent again;
 * no worker can avoid this, it can only make the repeat recognisable (one Message-ID per email,
 * lib/email/transport.ts). So the kill here happens while the catcher holds the in-flight message
 * unanswered (read, no 250 yet): the sender had not handed it over, and the catcher drops it,
 * as a real server drops a transaction whose client went away. That makes both halves of the
 * assertion true and meaningful: every email arrives (the one in flight and the ones the dead
 * instance had claimed but not sent included), and each arrives exactly once, counted by its
 * Message-ID.
 */
const EMAILS = 30;
const LEASE_SECONDS = 8;

let db: Awaited<ReturnType<typeof createDatabase>>;
/** One SMTP catcher per instance, so that what each instance has in flight is known. */
let smtpA: SmtpCatcher;
let smtpB: SmtpCatcher;
let a: Portal | undefined;
let b: Portal | undefined;
let sql: ReturnType<typeof sqlClient>;

beforeAll(async () => {
  db = await createDatabase("delivery");
  sql = sqlClient(db.url);
  [smtpA, smtpB] = await Promise.all([
    startSmtpCatcher({ port: PORTS.smtpA }),
    startSmtpCatcher({ port: PORTS.smtpB }),
  ]);
});

afterAll(async () => {
  await Promise.all([a?.kill(), b?.kill()]);
  await Promise.all([smtpA?.close(), smtpB?.close()]);
  await sql?.end();
  await db?.drop();
});

const instance = (port: number, smtp: SmtpCatcher) =>
  startPortal({
    port,
    databaseUrl: db.url,
    publicUrl: `http://localhost:${PORTS.deliveryA}`,
    smtpUrl: smtp.url,
    env: { GATEHOUSE_MAIL_LEASE_SECONDS: String(LEASE_SECONDS) },
  });

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("an instance killed during background email delivery", () => {
  it("loses nothing and sends nothing twice: the survivor takes over after the lease", async () => {
    smtpA.hold();
    smtpB.hold();
    [a, b] = await Promise.all([instance(PORTS.deliveryA, smtpA), instance(PORTS.deliveryB, smtpB)]);
    const api = adminApi(a.url);
    const realm = await api.realm();
    const wakeA = await api.user(realm.slug, "wake-a@example.com");
    const wakeB = await api.user(realm.slug, "wake-b@example.com");
    // Thirty rendered emails, queued at once (as after a busy minute): the shape the worker sees.
    const { subject, html, text } = await api.ok(
      "POST",
      `/api/v1/realms/${realm.slug}/email_templates/welcome/preview`,
    );
    for (let i = 0; i < EMAILS; i++) {
      await sql`insert into email_outbox
        (realm_id, id, template, to_address, from_address, subject, html, text, next_attempt_at, created_at)
        values (${realm.id}, ${`em_rel_${String(i).padStart(3, "0")}`}, 'welcome', ${`user${i}@example.com`},
                'Gatehouse <no-reply@localhost>', ${subject}, ${html}, ${text},
                now() - interval '1 second', now() + ${i} * interval '1 millisecond')`;
    }
    // An email queued on an instance wakes its worker: each claims a batch of 10 and is held, its
    // first message read by its catcher and left unanswered.
    await adminApi(a.url).ok("POST", `/api/v1/realms/${realm.slug}/users/${wakeA}/verification_email`);
    await adminApi(b.url).ok("POST", `/api/v1/realms/${realm.slug}/users/${wakeB}/verification_email`);
    await until("both instances to be in the middle of a send", () =>
      smtpA.heldCount === 1 && smtpB.heldCount === 1 ? true : undefined,
    );
    const [claims] = await sql<{ n: number }[]>`select count(*)::int as n from email_outbox
      where status = 'pending' and attempts = 1 and next_attempt_at > now()`;
    expect(claims?.n).toBe(20);
    const ids = (await sql<{ id: string }[]>`select id from email_outbox`).map((r) => r.id).sort();
    expect(ids).toHaveLength(EMAILS + 2);

    await a.kill("SIGKILL");
    a = undefined;
    await until("the catcher to see A's connection close", () =>
      smtpA.heldConnected === 0 ? true : undefined,
    );
    // A's message was never answered: its catcher drops it. B's is answered now; B carries on.
    smtpA.release();
    smtpB.release();
    expect(smtpA.discarded).toBe(1);

    await until(
      "every email to be sent",
      async () => {
        const [row] = await sql<{ sent: number }[]>`
          select count(*)::int as sent from email_outbox where status = 'sent'`;
        return row && row.sent === ids.length ? row.sent : undefined;
      },
      40_000,
    );

    // Exactly once each, counted by Message-ID (one per email, the same on every attempt).
    const received = [...smtpA.messages, ...smtpB.messages];
    const perMessageId = new Map<string, number>();
    for (const m of received) {
      const key = m.headers["message-id"] ?? "";
      perMessageId.set(key, (perMessageId.get(key) ?? 0) + 1);
    }
    expect(smtpA.messages).toHaveLength(0);
    expect(received).toHaveLength(ids.length);
    expect([...perMessageId.values()].every((n) => n === 1)).toBe(true);
    expect([...perMessageId.keys()].map((k) => /^<([^@]+)@/.exec(k)?.[1]).sort()).toEqual(ids);

    // The ten A had claimed (its message in flight included) came back after the lease and were
    // sent by B on their second claim; everything has exactly one successful attempt.
    const rows = await sql<{ id: string; attempts: number; workers: string[] }[]>`
      select o.id, o.attempts, array_agg(t.worker) as workers
      from email_outbox o join email_attempts t on t.realm_id = o.realm_id and t.email_id = o.id
      where t.result = 'sent' group by o.id, o.attempts`;
    expect(rows).toHaveLength(ids.length);
    expect(rows.every((r) => r.workers.length === 1 && r.workers[0]?.endsWith(`:${b?.pid}`))).toBe(true);
    expect(rows.filter((r) => r.attempts === 2)).toHaveLength(10);
  });
});
