import { getDb } from "@/lib/db";
import { env } from "@/lib/env";
import { MissingKeyError } from "@/lib/mfa/rotation";
import { services } from "@/lib/services";
import { onShutdown } from "@/lib/shutdown";

export interface BootDeps {
  loadEnv: () => unknown;
  openDb: () => Promise<unknown>;
  /** Starts this instance's background work (email delivery) once the database is open. */
  startWorkers: () => Promise<void>;
  exit: (code: number) => void;
  log: (message: string) => void;
}

const realDeps: BootDeps = {
  loadEnv: env,
  openDb: getDb,
  startWorkers: async () => {
    const { delivery, mfa, socialProviders } = await services();
    delivery.start();
    onShutdown(() => delivery.stop());
    // A key removed too early: say so now, not at the first login of a user it locks out.
    const missing = [
      ...(await mfa.missingKeys()),
      ...(await socialProviders.missingKeys()).map(([id, n]): [string, number, string] => [
        id,
        n,
        "social provider client secret(s)",
      ]),
    ];
    if (missing.length) console.error(`[gatehouse] ${new MissingKeyError(missing).message}`);
  },
  exit: (code) => process.exit(code),
  log: (message) => console.error(message),
};

/** Fail fast at start: environment parsed, database opened and migrated, or exit with the reason. */
export async function boot(deps: BootDeps = realDeps): Promise<void> {
  try {
    deps.loadEnv();
    await deps.openDb();
    await deps.startWorkers();
  } catch (error) {
    deps.log(`\nGatehouse cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    deps.exit(1);
  }
}
