import { execFile, execFileSync } from "node:child_process";
import {
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";

/**
 * The PostgreSQL server the suite creates its databases on: TEST_DATABASE_URL's (CI sets it), else
 * the local default. scripts/test-reliability.mjs skips the suite when it cannot be reached.
 */
export const SERVER_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A client for ad-hoc SQL (checks, snapshots). Close it with `.end()`. */
export function sqlClient(url: string, max = 2) {
  return postgres(url, { max, onnotice: () => {}, connect_timeout: 5 });
}

/** A fresh, empty database on `serverUrl` for one test file; `drop()` removes it. */
export async function createDatabase(tag: string, serverUrl = SERVER_URL) {
  const name = `gatehouse_rel_${tag}_${process.pid}_${Date.now().toString(36)}`;
  const admin = sqlClient(serverUrl, 1);
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  return {
    name,
    url: withDatabase(serverUrl, name),
    async drop() {
      const admin = sqlClient(serverUrl, 1);
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

function postgresBin(tool: string): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, "bin", tool)))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return versions.length ? path.join(root, versions[0] as string, "bin", tool) : tool;
}

const CLUSTER_PREFIX = "gatehouse-rel-pg-";

/** Clusters left by an earlier run that was killed: stopped (if on our port) and deleted. */
async function removeStaleClusters(port: number) {
  const asRoot = process.getuid?.() === 0;
  for (const name of readdirSync(os.tmpdir())) {
    if (!name.startsWith(CLUSTER_PREFIX)) continue;
    const dir = path.join(os.tmpdir(), name);
    const pidFile = path.join(dir, "data", "postmaster.pid");
    if (existsSync(pidFile)) {
      // postmaster.pid: pid, data directory, start time, port, …
      if (readFileSync(pidFile, "utf8").split("\n")[3]?.trim() !== String(port)) continue;
      const args = ["-D", path.join(dir, "data"), "-m", "immediate", "-w", "stop"];
      const bin = postgresBin("pg_ctl");
      await promisify(execFile)(
        asRoot ? "runuser" : bin,
        asRoot ? ["-u", "postgres", "--", bin, ...args] : args,
      ).catch(() => {});
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A PostgreSQL cluster of the suite's own, in a temporary directory, on `port` (55432): the one
 * the restart test stops and starts. Never the shared server on 5432. PostgreSQL refuses to run
 * as root, so as root it runs as the `postgres` user.
 */
export async function startPrivateCluster(port: number) {
  await removeStaleClusters(port);
  const dir = mkdtempSync(path.join(os.tmpdir(), CLUSTER_PREFIX));
  const data = path.join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  // Asynchronous: the test's own HTTP clients keep running while PostgreSQL stops and starts.
  const run = async (tool: string, args: string[]) => {
    const bin = postgresBin(tool);
    const [cmd, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
    await promisify(execFile)(cmd, argv, { cwd: dir });
  };
  if (asRoot) chownSync(dir, Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" })), 0);
  await run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=50`;
  const cluster = {
    url: (database = "postgres") => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start: () =>
      run("pg_ctl", ["-D", data, "-l", path.join(dir, "log"), "-w", "-t", "30", "-o", options, "start"]),
    /** `immediate` is a crash (no shutdown checkpoint; recovery at the next start), `fast` a clean stop. */
    stop: (mode: "fast" | "immediate" = "fast") => run("pg_ctl", ["-D", data, "-m", mode, "-w", "stop"]),
    async destroy() {
      await cluster.stop("immediate").catch(() => {});
      const keep = process.env.RELIABILITY_LOGS;
      if (keep && existsSync(path.join(dir, "log"))) {
        mkdirSync(keep, { recursive: true });
        copyFileSync(path.join(dir, "log"), path.join(keep, `postgres-${port}.log`));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await cluster.start();
  return cluster;
}
