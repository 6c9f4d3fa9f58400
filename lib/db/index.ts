import { env } from "@/lib/env";
import { type Db, type DbHandle, type DbTarget, openDatabase } from "./client";

export type { Db, DbHandle, DbTarget } from "./client";
export { migrateDatabase, openDatabase } from "./client";
export * as tables from "./schema";

export function targetFromEnv(): DbTarget {
  const e = env();
  return e.DATABASE_URL
    ? { kind: "postgres", url: e.DATABASE_URL }
    : { kind: "pglite", dataDir: e.GATEHOUSE_DATA_DIR };
}

// Kept on globalThis so that module re-evaluation (dev reloads, several route bundles) never opens
// the PGlite directory a second time in one process.
const holder = globalThis as typeof globalThis & { __gatehouseDb?: Promise<DbHandle> };

/** The process-wide database, opened and migrated on first use (never at build time). */
export function getDb(): Promise<Db> {
  holder.__gatehouseDb ??= openDatabase(targetFromEnv()).catch((error) => {
    holder.__gatehouseDb = undefined;
    throw error;
  });
  return holder.__gatehouseDb.then((h) => h.db);
}
