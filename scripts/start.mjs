// `npm start`: build if needed, migrate and seed (idempotent), run the portal and the demo app,
// print where to go and how to log in. Works with no database server (PGlite in .data/).
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startDemoApp } from "../demo/server.mjs";
import { buildIfNeeded } from "./build-if-needed.mjs";

const root = path.resolve(import.meta.dirname, "..");
const port = Number(process.env.PORT ?? 3000);
const publicUrl = (process.env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, "");
const demoPort = Number(process.env.DEMO_PORT ?? port + 1);
const demoUrl = (process.env.DEMO_APP_URL ?? `http://localhost:${demoPort}`).replace(/\/+$/, "");

function bootstrapKey() {
  if (process.env.GATEHOUSE_BOOTSTRAP_API_KEY)
    return { key: process.env.GATEHOUSE_BOOTSTRAP_API_KEY, generated: false };
  // A local installation gets a random admin key once, kept beside the data (never committed).
  const file = path.join(root, ".dev-secrets.json");
  const saved = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  if (!saved.bootstrapApiKey) {
    saved.bootstrapApiKey = `gh_admin_${randomBytes(24).toString("base64url")}`;
    writeFileSync(file, `${JSON.stringify(saved, null, 2)}\n`, { mode: 0o600 });
  }
  return { key: saved.bootstrapApiKey, generated: true };
}

const { key } = bootstrapKey();
// Without SMTP no email leaves this machine: the demo then shows them at the development mailbox
// (every email of every realm, to whoever can reach the port: a laptop demo, not a server setup).
// An explicit GATEHOUSE_DEV_MAILBOX (0 or 1) wins either way.
const devMailbox = process.env.GATEHOUSE_DEV_MAILBOX ?? (process.env.SMTP_URL ? undefined : "1");
const env = {
  ...process.env,
  PORT: String(port),
  PUBLIC_URL: publicUrl,
  GATEHOUSE_BOOTSTRAP_API_KEY: key,
  NEXT_TELEMETRY_DISABLED: "1",
  NODE_ENV: "production",
  ...(devMailbox ? { GATEHOUSE_DEV_MAILBOX: devMailbox } : {}),
};

buildIfNeeded();

const seeded = spawnSync(
  process.execPath,
  ["--conditions=react-server", path.join(root, "node_modules/tsx/dist/cli.mjs"), "scripts/seed.ts"],
  {
    cwd: root,
    env: { ...env, DEMO_APP_URL: demoUrl },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  },
);
if (seeded.status !== 0) {
  console.error("migrating or seeding the database failed");
  process.exit(1);
}
const demo = JSON.parse(seeded.stdout.trim().split("\n").at(-1));

const server = spawn(process.execPath, [path.join(root, "scripts/serve.mjs")], {
  cwd: root,
  env,
  stdio: "inherit",
});
// The portal finishes its background work (email in flight) before it exits; then so do we.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 1));

// Wait until the portal answers from its database (the first request opens it).
const probe = `http://127.0.0.1:${port}/${demo.realmSlug}/connect/jwks`;
for (let i = 0; ; i++) {
  try {
    const res = await fetch(probe);
    if (res.ok) break;
  } catch {}
  if (i > 120) {
    console.error(`the portal did not answer at ${probe}`);
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 500));
}

await startDemoApp({
  port: demoPort,
  portalUrl: publicUrl,
  realm: demo.realmSlug,
  clientId: demo.appId,
  publicUrl: demoUrl,
  host: "0.0.0.0",
});

const realmUrl = `${publicUrl}/${demo.realmSlug}`;
const mail = process.env.SMTP_URL
  ? "sent through SMTP_URL"
  : `not sent (no SMTP_URL)${devMailbox === "1" ? ": read them at the mailbox;" : ";"} their links show on this console as [mail] lines`;
const mailbox =
  devMailbox === "1"
    ? `
  Development mailbox     ${publicUrl}/dev/mailbox
                          every email of every realm, to anyone who can reach this port`
    : "";
console.log(`
  Gatehouse is running.

  Demo app (start here)   ${demoUrl}/
  Hosted login page       ${realmUrl}/login?client_id=${demo.appId}&redirect_uri=${encodeURIComponent(`${demoUrl}/callback`)}
  JWKS                    ${realmUrl}/connect/jwks
  Management API          ${publicUrl}/api/v1/realms${mailbox}
  Email                   ${mail}

  Demo user               ${demo.email} / ${demo.password}
  Admin API key           ${key}
                          curl -H "Authorization: Bearer ${key}" ${publicUrl}/api/v1/realms

  Data                    ${process.env.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : path.resolve(root, process.env.GATEHOUSE_DATA_DIR ?? ".data")}
`);
