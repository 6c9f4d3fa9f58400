import { availableParallelism } from "node:os";
import { createBcryptjsWorkers } from "./bcryptjs-workers";

/** The two calls we need from a bcrypt implementation; both must leave the event loop free. */
export interface BcryptEngine {
  name: "bcrypt" | "bcryptjs";
  hash(password: string, cost: number): Promise<string>;
  compare(password: string, hash: string): Promise<boolean>;
}

export interface BcryptLoaders {
  /** The native binding (`bcrypt`): it hashes on the libuv pool, outside the event loop. */
  native(): Promise<Pick<BcryptEngine, "hash" | "compare">>;
  /** Pure JavaScript (`bcryptjs`), run in worker threads so that it does not block the event loop. */
  fallback(): Promise<Pick<BcryptEngine, "hash" | "compare">>;
}

export const defaultBcryptLoaders: BcryptLoaders = {
  async native() {
    const mod = await import("bcrypt");
    const bcrypt = mod.default ?? mod;
    return { hash: (p, c) => bcrypt.hash(p, c), compare: (p, h) => bcrypt.compare(p, h) };
  },
  async fallback() {
    return createBcryptjsWorkers(Math.max(1, availableParallelism()));
  },
};

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The fastest bcrypt that loads: the native binding (about 1.5× bcryptjs here, and it installs from
 * the registry as a prebuilt binary), else bcryptjs. A binding can be missing on a platform without
 * a prebuilt one, or after an install that skipped it; the portal then still works, more slowly,
 * and says so once. Both write and read the same `$2b$` strings.
 */
export async function selectBcryptEngine(
  loaders: BcryptLoaders = defaultBcryptLoaders,
  warn: (message: string) => void = (message) => console.error(`[gatehouse] ${message}`),
): Promise<BcryptEngine> {
  let nativeProblem: string;
  try {
    return { name: "bcrypt", ...(await loaders.native()) };
  } catch (error) {
    nativeProblem = reason(error);
  }
  try {
    const engine: BcryptEngine = { name: "bcryptjs", ...(await loaders.fallback()) };
    warn(
      `the native bcrypt binding did not load (${nativeProblem}); hashing passwords with bcryptjs in worker threads, about 1.5× slower`,
    );
    return engine;
  } catch (error) {
    throw new Error(`no bcrypt implementation loads: bcrypt (${nativeProblem}), bcryptjs (${reason(error)})`);
  }
}

let selected: Promise<BcryptEngine> | undefined;

/** The engine of this process, chosen on first use. */
export function bcryptEngine(): Promise<BcryptEngine> {
  selected ??= selectBcryptEngine().catch((error: unknown) => {
    selected = undefined;
    throw error;
  });
  return selected;
}
