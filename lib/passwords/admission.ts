import { availableParallelism } from "node:os";
import { AppError } from "@/lib/errors/app-error";

/**
 * A bound on the password logins in progress at once. Each one needs a hash, and hashes run one
 * per core (lib/passwords/slots.ts): beyond the cores they only queue, and a queue of 60 logins at
 * bcrypt cost 12 is 15 seconds of waiting for the last one. So a login over the bound is refused
 * at once with `server.busy` (503; the form says to try again in a few seconds), before anything
 * is counted or looked up: shed load must not count as failed attempts (lib/throttle).
 */
export interface Admission {
  run<T>(task: () => Promise<T>): Promise<T>;
  readonly inFlight: number;
  readonly limit: number;
  /** True while a new task would be refused (scripts/shed-busy-logins.mjs reads it). */
  readonly full: boolean;
}

/** How many logins may wait for a hashing slot, per core, unless GATEHOUSE_LOGIN_QUEUE says. */
export const LOGIN_QUEUE_PER_CORE = 4;

export function defaultLoginQueue(cores = availableParallelism()): number {
  return Math.max(1, cores) * LOGIN_QUEUE_PER_CORE;
}

/** Admits `queue` logins beyond one per core (the hashing slots); no argument: no bound. */
export function createLoginAdmission(queue = Number.POSITIVE_INFINITY, cores = availableParallelism()) {
  return createAdmission(Math.max(1, cores) + queue);
}

export function createAdmission(limit: number): Admission {
  let inFlight = 0;
  return {
    async run(task) {
      if (inFlight >= limit) throw new AppError("server.busy");
      inFlight++;
      try {
        return await task();
      } finally {
        inFlight--;
      }
    },
    get inFlight() {
      return inFlight;
    },
    limit,
    get full() {
      return inFlight >= limit;
    },
  };
}
