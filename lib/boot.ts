import { getDb } from "@/lib/db";
import { env } from "@/lib/env";

/** Fail fast at start: environment parsed, database opened and migrated, or exit with the reason. */
export async function boot(): Promise<void> {
  try {
    env();
    await getDb();
  } catch (error) {
    console.error(`\nGatehouse cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
