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
  log?: (line: string) => void;
}

/**
 * The background worker of one app instance: claims due emails (FOR UPDATE SKIP LOCKED, see
 * ./outbox.ts), sends them, records each attempt. Woken right after an email is queued here;
 * polls for the rest (other instances' emails, retries that came due).
 */
export function createDelivery(options: DeliveryOptions) {
  const { outbox, transport } = options;
  const worker = options.worker ?? `${hostname()}:${process.pid}`;
  const pollMs = options.pollMs ?? 5_000;
  const batch = options.batch ?? 10;
  const log = options.log ?? ((line: string) => console.error(line));
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let again = false;
  let stopped = true;

  /** Sends what is due now; resolves to the number of emails attempted. */
  async function runOnce(): Promise<number> {
    let attempted = 0;
    for (;;) {
      const claimed = await outbox.claim(batch);
      for (const email of claimed) {
        attempted++;
        try {
          const { messageId } = await transport.send(email);
          await outbox.markSent(email, worker, messageId);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          log(`[mail] attempt ${email.attempts} of ${email.id} to ${email.toAddress} failed: ${message}`);
          await outbox.markFailed(email, worker, message);
        }
      }
      if (claimed.length < batch) return attempted;
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
        log(`[mail] delivery pass failed: ${error instanceof Error ? error.message : String(error)}`);
        return 0;
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
      void pass();
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      transport.close?.();
    },
  };
}

export type Delivery = ReturnType<typeof createDelivery>;
