import { getDb } from "@/lib/db";
import { env } from "@/lib/env";

export interface BootDeps {
  loadEnv: () => unknown;
  openDb: () => Promise<unknown>;
  exit: (code: number) => void;
  log: (message: string) => void;
}

const realDeps: BootDeps = {
  loadEnv: env,
  openDb: getDb,
  exit: (code) => process.exit(code),
  log: (message) => console.error(message),
};

/** Fail fast at start: environment parsed, database opened and migrated, or exit with the reason. */
export async function boot(deps: BootDeps = realDeps): Promise<void> {
  try {
    deps.loadEnv();
    await deps.openDb();
  } catch (error) {
    deps.log(`\nGatehouse cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    deps.exit(1);
  }
}
