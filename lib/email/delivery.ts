import { hostname } from "node:os";
import type { Outbox } from "./outbox";
import type { MailTransport } from "./transport";

export interface DeliveryOptions {
  outbox: Outbox;
  transport: MailTransport;
  /** Names this instance in each attempt's record. */
  worker?: string;
  /** How often the outbox is polled when nothing wakes the worker. */
  pollMs?: number;
  batch?: number;
  /** How often this instance deletes old sent and failed emails (outbox.purge); default hourly. */
  purgeEveryMs?: number;
  /** How long one attempt may take; must stay well inside the outbox's lease (default 60 s). */
  sendTimeoutMs?: number;
  log?: (line: string) => void;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** An attempt that takes longer fails (and is retried), well inside the claim's lease. */
export const SEND_TIMEOUT_MS = 60_000;

/** The attempt timeout for a lease: at most half of it, so that a slow attempt ends before another worker may claim the email. */
export function sendTimeoutFor(leaseMs: number): number {
  return Math.min(SEND_TIMEOUT_MS, Math.floor(leaseMs / 2));
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from the mail server within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The background worker of one app instance: claims due emails (FOR UPDATE SKIP LOCKED, see
 * ./outbox.ts), sends them, records each attempt. Woken right after an email is queued here;
 * polls for the rest (other instances' emails, retries that came due). Now and then it deletes
 * old sent and failed emails. A database or SMTP error fails the pass (logged), never the process.
 * `stop()` lets the email being sent finish and hands the rest of its claim back.
 */
export function createDelivery(options: DeliveryOptions) {
  const { outbox, transport } = options;
  const worker = options.worker ?? `${hostname()}:${process.pid}`;
  const pollMs = options.pollMs ?? 5_000;
  const batch = options.batch ?? 10;
  const purgeEveryMs = options.purgeEveryMs ?? 3600_000;
  const sendTimeoutMs = options.sendTimeoutMs ?? SEND_TIMEOUT_MS;
  const log = options.log ?? ((line: string) => console.error(line));
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let again = false;
  let stopped = true;
  /** Set by stop(): the pass in progress ends after the email being sent. */
  let stopping = false;
  let lastPurge = Number.NEGATIVE_INFINITY;

  /** Sends what is due now; resolves to the number of emails attempted. */
  async function runOnce(): Promise<number> {
    let attempted = 0;
    for (;;) {
      const claimed = await outbox.claim(batch);
      for (const email of claimed) {
        if (stopping) {
          await outbox.release(email);
          continue;
        }
        attempted++;
        let sent: { messageId: string | null };
        try {
          sent = await withTimeout(transport.send(email), sendTimeoutMs);
        } catch (error) {
          const message = messageOf(error);
          log(`[mail] attempt ${email.attempts} of ${email.id} to ${email.toAddress} failed: ${message}`);
          await outbox.markFailed(email, worker, message);
          continue;
        }
        // Outside the try: a database error here must not record a delivered email as failed.
        // It fails the pass instead, and the email is sent again once its lease ends.
        await outbox.markSent(email, worker, sent.messageId, { redact: transport.kind === "smtp" });
      }
      if (stopping || claimed.length < batch) return attempted;
    }
  }

  async function purgeIfDue() {
    if (stopping || Date.now() - lastPurge < purgeEveryMs) return;
    lastPurge = Date.now();
    try {
      const deleted = await outbox.purge();
      if (deleted) log(`[mail] deleted ${deleted} sent or failed emails past their retention`);
    } catch (error) {
      log(`[mail] purging old emails failed: ${messageOf(error)}`);
    }
  }

  /** One pass at a time; a wake during a pass runs one more pass after it. */
  function pass(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = runOnce()
      .catch((error) => {
        log(`[mail] delivery pass failed: ${messageOf(error)}`);
        return 0;
      })
      .then(async (attempted) => {
        await purgeIfDue();
        return attempted;
      })
      .finally(() => {
        running = undefined;
        if (again && !stopped) {
          again = false;
          void pass();
        }
      });
    return running;
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(async () => {
      await pass();
      schedule();
    }, pollMs);
    timer.unref();
  }

  return {
    worker,
    runOnce: pass,
    /** Soon after an email is queued on this instance. */
    wake() {
      if (!stopped) setImmediate(() => void pass());
    },
    start() {
      if (!stopped) return;
      stopped = false;
      stopping = false;
      void pass();
      schedule();
    },
    /** Ends the worker: the email being sent finishes, the rest of the claim goes back to the outbox. */
    async stop() {
      stopped = true;
      stopping = true;
      clearTimeout(timer);
      await running;
      transport.close?.();
    },
  };
}

export type Delivery = ReturnType<typeof createDelivery>;
