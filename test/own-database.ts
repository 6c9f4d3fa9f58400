import { afterAll } from "vitest";
import { type DbHandle, openDatabase } from "@/lib/db/client";
import { testDb } from "@/test/db";

let own: Promise<DbHandle> | undefined;

/**
 * A database no other test file writes to, for tests that compare whole tables before and after.
 * On PGlite every file has its own copy anyway; on PostgreSQL (where the files share
 * TEST_DATABASE_URL and run in parallel) a fresh database is created on the same server, migrated,
 * and dropped after the file.
 */
export function ownTestDb(): Promise<DbHandle> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return testDb();
  own ??= (async () => {
    const { default: postgres } = await import("postgres");
    const name = `gatehouse_own_${process.pid}_${Date.now().toString(36)}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    await admin.end();
    const target = new URL(url);
    target.pathname = `/${name}`;
    const handle = await openDatabase({ kind: "postgres", url: target.toString(), max: 4 });
    return {
      ...handle,
      async close() {
        await handle.close();
        const admin = postgres(url, { max: 1, onnotice: () => {} });
        await admin.unsafe(`drop database if exists "${name}"`);
        await admin.end();
      },
    };
  })();
  return own;
}

afterAll(async () => {
  if (own) await (await own).close();
  own = undefined;
});
