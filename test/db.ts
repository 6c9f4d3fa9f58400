import { readFileSync } from "node:fs";
import { afterAll, inject } from "vitest";
import type { Clock } from "@/lib/clock";
import { type DbHandle, openDatabase } from "@/lib/db/client";
import type { Completion, LoginOutcome } from "@/lib/flows";
import type { PasswordHasher } from "@/lib/passwords";
import { createServices, type Services } from "@/lib/services";
import type { SocialUpstream } from "@/lib/social/upstream";

let handle: Promise<DbHandle> | undefined;

/** This test file's database: a fresh PGlite from the migrated snapshot, or the shared PostgreSQL. */
export function testDb(): Promise<DbHandle> {
  handle ??= (async () => {
    const url = process.env.TEST_DATABASE_URL;
    if (url) return openDatabase({ kind: "postgres", url, max: 4 }, { migrate: false });
    const { PGlite } = await import("@electric-sql/pglite");
    const snapshot = inject("dbSnapshot");
    const pg = await PGlite.create({ loadDataDir: new Blob([readFileSync(snapshot)]) });
    const opened = await openDatabase({ kind: "pglite", instance: pg }, { migrate: false });
    return { ...opened, close: () => pg.close() };
  })();
  return handle;
}

afterAll(async () => {
  if (handle) await (await handle).close();
  handle = undefined;
});

export const TEST_PUBLIC_URL = "http://gatehouse.test";

export async function testServices(
  options: { clock?: Clock; hasher?: PasswordHasher; socialUpstream?: SocialUpstream } = {},
): Promise<Services> {
  const { db } = await testDb();
  return createServices({
    db,
    publicUrl: TEST_PUBLIC_URL,
    bootstrapApiKey: "test-bootstrap-key-0123456789abcdef",
    ...options,
  });
}

let counter = 0;
/** A realm of its own for one test, cheap to hash for (bcrypt cost 4). */
export async function testRealm(gh: Services, settings: Record<string, unknown> = {}) {
  const slug = `t${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const realm = await gh.realms.create({
    slug,
    name: `Test ${slug}`,
    settings: { bcrypt_cost: 4, ...settings },
  });
  const app = await gh.apps.create(realm.id, {
    name: "Test App",
    redirect_uris: ["https://app.example/callback"],
  });
  return { realm, app };
}

/** A login that must have finished (no pending step): its session and redirect. */
export function completed(outcome: LoginOutcome): Completion {
  if (outcome.kind !== "done") throw new Error(`login is waiting on a step: ${outcome.redirectUrl}`);
  return outcome;
}
