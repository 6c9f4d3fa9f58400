/**
 * A second portal for the few tests that need another environment than the suite's (e2e/server.mjs):
 * same build, its own throw-away PGlite directory, a free port, and whatever variables the test
 * sets. Stopped with SIGTERM, like a real deployment.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { API_KEY } from "./settings";

export interface ExtraPortal {
  url: string;
  /** The management API of this portal, with the bootstrap key. */
  api<T>(method: "GET" | "POST" | "PATCH", apiPath: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export async function startExtraPortal(env: Record<string, string | undefined>): Promise<ExtraPortal> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const tmp = mkdtempSync(path.join(os.tmpdir(), "gatehouse-e2e-extra-"));
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    PORT: String(port),
    PUBLIC_URL: url,
    GATEHOUSE_BOOTSTRAP_API_KEY: API_KEY,
    GATEHOUSE_DATA_DIR: path.join(tmp, "data"),
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: undefined,
    SMTP_URL: undefined,
    ...env,
  };
  const child: ChildProcess = spawn(process.execPath, [path.resolve(__dirname, "..", "scripts/serve.mjs")], {
    cwd: path.resolve(__dirname, ".."),
    env: Object.fromEntries(Object.entries(childEnv).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const api = async <T>(method: string, apiPath: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}${apiPath}`, {
      method,
      headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${apiPath} → ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };

  // Ready when a route that opens the database answers.
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the extra portal exited (code ${child.exitCode})`);
    try {
      if ((await fetch(`${url}/api/v1/realms`)).status === 401) break;
    } catch {}
    if (i > 240) throw new Error(`the extra portal did not answer at ${url}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  return {
    url,
    api,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
