import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { openDatabase } from "@/lib/db/client";

/** Migrates once per run: a PGlite snapshot on disk, or the PostgreSQL database itself. */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const handle = await openDatabase({ kind: "postgres", url, max: 1 });
    await handle.close();
    project.provide("dbSnapshot", "");
    return;
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const pg = new PGlite();
  const handle = await openDatabase({ kind: "pglite", instance: pg });
  const dump = await pg.dumpDataDir("none");
  const dir = path.resolve(".test-data");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `pglite-snapshot-${process.pid}.tar`);
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await handle.close();
  await pg.close();
  project.provide("dbSnapshot", file);
  return () => rmSync(file, { force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    dbSnapshot: string;
  }
}
