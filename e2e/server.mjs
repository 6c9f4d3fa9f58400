// The portal under test, started by Playwright's `webServer`: a fresh PGlite data directory in a temp
// dir, a fixed bootstrap API key, the portal's own server (scripts/serve.mjs) as one process. On SIGTERM/SIGINT it stops the server
// and deletes the data. Demo apps are started per test by the fixtures (e2e/fixtures.ts), because
// they need a realm and an app id that only exist once a test has created them.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildIfNeeded } from "../scripts/build-if-needed.mjs";
import { startMailCatcher } from "./mail-catcher.mjs";
import { startUpstreamOidc } from "./upstream-oidc.mjs";

const root = path.resolve(import.meta.dirname, "..");
// Set by playwright.config.ts (webServer.env) from e2e/settings.ts.
const { PORT, PUBLIC_URL, GATEHOUSE_BOOTSTRAP_API_KEY } = process.env;
// The SMTP catcher listens next to the portal (e2e/settings.ts: PORT + 1, its JSON view PORT + 2).
if (!PORT || !PUBLIC_URL || !GATEHOUSE_BOOTSTRAP_API_KEY) {
  console.error(
    "[e2e] PORT, PUBLIC_URL and GATEHOUSE_BOOTSTRAP_API_KEY must be set (see playwright.config.ts)",
  );
  process.exit(1);
}
const PREFIX = "gatehouse-e2e-";

/** Data dirs of earlier runs that were killed before they could clean up (their owner is gone). */
function removeStaleDirs() {
  const tmp = os.tmpdir();
  for (const name of readdirSync(tmp)) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = path.join(tmp, name);
    // A directory just made by a run that is still starting may not have its pid file yet.
    if (Date.now() - statSync(dir).mtimeMs < 120_000) continue;
    const pidFile = path.join(dir, "owner.pid");
    let alive = false;
    try {
      process.kill(Number(readFileSync(pidFile, "utf8")), 0);
      alive = true;
    } catch {}
    if (!alive) rmSync(dir, { recursive: true, force: true });
  }
}

removeStaleDirs();
buildIfNeeded();

const tmp = mkdtempSync(path.join(os.tmpdir(), PREFIX));
writeFileSync(path.join(tmp, "owner.pid"), String(process.pid));
const dataDir = path.join(tmp, "data");

const mail = await startMailCatcher({ smtpPort: Number(PORT) + 1, apiPort: Number(PORT) + 2 });

// The upstream OpenID Provider of the social-login specs (e2e/upstream-oidc.mjs), on loopback.
const upstream = await startUpstreamOidc({ port: Number(PORT) + 3, portalUrl: PUBLIC_URL });
console.log(`[e2e] upstream OpenID Provider on ${upstream.issuer}`);

const env = {
  ...process.env,
  // The upstream above is http on loopback: allowed for this run only.
  GATEHOUSE_ALLOW_INSECURE_UPSTREAM: "1",
  SMTP_URL: mail.smtpUrl,
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  GATEHOUSE_DATA_DIR: dataDir,
};
delete env.DATABASE_URL; // always the embedded database in its fresh directory

const server = spawn(process.execPath, [path.join(root, "scripts/serve.mjs")], {
  cwd: root,
  stdio: ["ignore", "inherit", "inherit"],
  env,
});
console.log(`[e2e] portal pid ${server.pid} on ${PUBLIC_URL}, data in ${dataDir}`);

let stopping = false;
function cleanUp() {
  if (existsSync(tmp)) rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
}

server.on("exit", (code, signal) => {
  cleanUp();
  if (!stopping) console.error(`[e2e] the portal exited on its own (code ${code}, signal ${signal})`);
  process.exit(stopping ? 0 : 1);
});

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    // Playwright signals the whole process group, so the server usually has the signal already.
    if (server.exitCode === null && server.signalCode === null) server.kill("SIGTERM");
    setTimeout(() => {
      server.kill("SIGKILL");
    }, 5000).unref();
  });
}
process.on("exit", () => {
  if (server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
  cleanUp();
});
