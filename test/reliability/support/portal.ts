import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../../..");
export const ADMIN_KEY = "gh_reliability_admin_key_0123456789abcdef";

export interface Portal {
  /** Where this instance answers (its own port). */
  url: string;
  port: number;
  pid: number;
  /** Resident memory of the server process, in bytes (Linux /proc). */
  rss(): number;
  /** Sends a signal and waits for the process to be gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** The last lines the server printed, for a failure message. */
  logTail(lines?: number): string;
}

export interface PortalOptions {
  port: number;
  databaseUrl: string;
  /** The URL every instance of one installation shares (links, token issuer); default this instance's. */
  publicUrl?: string;
  smtpUrl?: string;
  env?: Record<string, string>;
}

/**
 * One production instance of the portal (scripts/serve.mjs on the existing build), on PostgreSQL,
 * ready once its management API answers from the database. Output goes to a log file.
 */
export async function startPortal(options: PortalOptions): Promise<Portal> {
  const url = `http://localhost:${options.port}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), "gatehouse-rel-portal-"));
  const logFile = path.join(dir, "server.log");
  const out = openSync(logFile, "a");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(options.port),
    PUBLIC_URL: options.publicUrl ?? url,
    DATABASE_URL: options.databaseUrl,
    GATEHOUSE_BOOTSTRAP_API_KEY: ADMIN_KEY,
    // A fixed key: several instances of one installation must decrypt each other's secrets.
    GATEHOUSE_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString("base64")}`,
    ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl } : { GATEHOUSE_DEV_MAILBOX: "1" }),
    // Every login must be served here, not shed: these tests count lost sessions and 5xx answers
    // under load and across a database restart. Shedding (a deliberate, fast 503 beyond one login
    // per core plus GATEHOUSE_LOGIN_QUEUE) has its own tests and is measured by `npm run bench`.
    GATEHOUSE_LOGIN_QUEUE: "1000",
    ...options.env,
  };
  delete env.TEST_DATABASE_URL;
  const child: ChildProcess = spawn(process.execPath, [path.join(root, "scripts/serve.mjs")], {
    cwd: root,
    env,
    stdio: ["ignore", out, out],
  });
  closeSync(out);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const logTail = (lines = 40) => {
    try {
      return readFileSync(logFile, "utf8").split("\n").slice(-lines).join("\n");
    } catch {
      return "";
    }
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the portal on :${options.port} exited while starting:\n${logTail()}`);
    try {
      const res = await fetch(`${url}/api/v1/realms?limit=1`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      if (res.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the portal on :${options.port} did not answer within 60 s:\n${logTail()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  const pid = child.pid as number;
  return {
    url,
    port: options.port,
    pid,
    rss() {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
    },
    async kill(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
      // RELIABILITY_LOGS=<dir> keeps each server's output for a look after the run.
      const keep = process.env.RELIABILITY_LOGS;
      if (keep) {
        mkdirSync(keep, { recursive: true });
        copyFileSync(logFile, path.join(keep, `portal-${options.port}-${pid}.log`));
      }
      rmSync(dir, { recursive: true, force: true });
    },
    logTail,
  };
}
