// `npm run test:reliability`: the reliability suite (test/reliability/, vitest.reliability.config.ts).
// Real portal processes on the production build (built first if needed), real HTTP, real
// PostgreSQL: the suite creates its own databases on TEST_DATABASE_URL's server (default: the local
// one on 5432) and starts a private cluster of its own for the restart test (port 55432). Without a
// reachable PostgreSQL it is skipped, saying why. Extra arguments go to vitest.
import { spawnSync } from "node:child_process";
import path from "node:path";
import postgres from "postgres";
import { buildIfNeeded } from "./build-if-needed.mjs";

const root = path.resolve(import.meta.dirname, "..");
const url = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const shown = url.replace(/\/\/[^@/]*@/, "//…@");

/** Whether a process still runs (databases are named after the pid of the run that made them). */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

try {
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  await sql`select 1`;
  // Databases left by runs that were killed (test/reliability/support/postgres.ts names them).
  const stale = await sql`select datname from pg_database where datname like 'gatehouse_rel_%'`;
  for (const { datname } of stale) {
    const pid = Number(/^gatehouse_rel_[a-z]+_(\d+)_/.exec(datname)?.[1]);
    if (pid && !alive(pid))
      await sql.unsafe(`drop database if exists "${datname}" with (force)`).catch(() => {});
  }
  await sql.end({ timeout: 1 });
} catch (error) {
  console.log(
    `\nreliability tests SKIPPED: no PostgreSQL reachable at ${shown} (${error instanceof Error ? error.message : error}).` +
      "\nThey create their databases on a PostgreSQL server: start one, or set TEST_DATABASE_URL.",
  );
  process.exit(0);
}

buildIfNeeded();
const { status } = spawnSync(
  process.execPath,
  [
    path.join(root, "node_modules/vitest/vitest.mjs"),
    "run",
    "--config",
    "vitest.reliability.config.ts",
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: "inherit", env: { ...process.env, TEST_DATABASE_URL: url } },
);
process.exit(status ?? 1);
