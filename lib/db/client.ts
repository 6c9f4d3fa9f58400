import { mkdirSync } from "node:fs";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { lockDataDir } from "./pglite-lock";
import * as schema from "./schema";

export type Schema = typeof schema;
/** The common face of both drivers: services never know which one they got. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface DbHandle {
  db: Db;
  driver: "pglite" | "postgres";
  close(): Promise<void>;
  /** Holds a cluster-wide lock while `task` runs (PostgreSQL); PGlite has one process anyway. */
  exclusively<T>(task: () => Promise<T>): Promise<T>;
}

const MIGRATION_LOCK = 72717001;

export const migrationsFolder = path.join(process.cwd(), "drizzle");

export type DbTarget =
  | { kind: "postgres"; url: string; max?: number }
  | { kind: "pglite"; dataDir?: string; instance?: PGlite };

/**
 * Opens a database and, unless told not to, brings its schema up to date. PGlite needs exactly one
 * opener per data directory (shared/STACK-NOTES.md); callers hold on to the handle.
 */
export async function openDatabase(target: DbTarget, options: { migrate?: boolean } = {}): Promise<DbHandle> {
  const handle = target.kind === "postgres" ? await openPostgres(target) : await openPglite(target);
  if (options.migrate !== false) await migrateDatabase(handle);
  return handle;
}

/**
 * Seconds before postgres.js tries again to open a connection after `retries` failed ones. Its
 * default grows to 20 s, and a query that needs a connection waits out that delay: while PostgreSQL
 * was down or restarting, requests hung for up to 20 s, and the app came back that long after the
 * database did (test/reliability/database-restart.test.ts). Capped at half a second instead, with
 * jitter so that many instances do not knock in step.
 */
export function reconnectDelaySeconds(retries: number, random: () => number = Math.random): number {
  return Math.min(0.05 * 2 ** retries, 0.5) * (0.5 + random() / 2);
}

async function openPostgres(target: { url: string; max?: number }): Promise<DbHandle> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const client = postgres(target.url, {
    // At least two: `exclusively` holds one connection for the lock while the task uses another.
    max: Math.max(2, target.max ?? 10),
    onnotice: () => {},
    // A server that does not answer fails the request within seconds (a 503), not after a long wait.
    connect_timeout: 3,
    idle_timeout: 60,
    backoff: (retries: number) => reconnectDelaySeconds(retries),
  });
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    driver: "postgres",
    close: () => client.end({ timeout: 5 }),
    async exclusively(task) {
      const reserved = await client.reserve();
      try {
        await reserved`select pg_advisory_lock(${MIGRATION_LOCK})`;
        return await task();
      } finally {
        await reserved`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
        reserved.release();
      }
    },
  };
}

async function openPglite(target: { dataDir?: string; instance?: PGlite }): Promise<DbHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  let client = target.instance;
  let release = () => {};
  if (!client) {
    if (target.dataDir) {
      const dir = path.resolve(target.dataDir);
      mkdirSync(path.dirname(dir), { recursive: true });
      release = lockDataDir(dir);
    }
    client = target.dataDir ? new PGlite(target.dataDir) : new PGlite();
  }
  const db = drizzle(client, { schema }) as unknown as Db;
  const owned = !target.instance;
  return {
    db,
    driver: "pglite",
    close: async () => {
      if (owned) await client.close();
      release();
    },
    exclusively: (task) => task(),
  };
}

/** Applies committed migrations. On PostgreSQL an advisory lock keeps two booting instances in line. */
export async function migrateDatabase(handle: DbHandle): Promise<void> {
  const { migrate } =
    handle.driver === "pglite"
      ? await import("drizzle-orm/pglite/migrator")
      : await import("drizzle-orm/postgres-js/migrator");
  // biome-ignore lint/suspicious/noExplicitAny: the migrator wants the driver-specific type of the same object.
  await handle.exclusively(() => migrate(handle.db as any, { migrationsFolder }));
}
