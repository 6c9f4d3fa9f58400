// `npm run bench`: how close the portal comes to the cost of its password hash, and how its pages
// compare with a bare Node server. Builds if needed, runs the production server on PGlite in a
// temporary directory (and on PostgreSQL when BENCH_DATABASE_URL is set), seeds a realm, drives it
// with autocannon from separate processes, and writes bench/results/latest.{md,json}.
// A measurement, never a test: it asserts nothing and is not part of `npm test`. README "Benchmarks".
import { execSync, fork, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildIfNeeded } from "../build-if-needed.mjs";
import { logInOnce } from "./login-form.mjs";
import { markdown } from "./report.mjs";

const root = path.resolve(import.meta.dirname, "../..");
const here = import.meta.dirname;
const quick = process.argv.includes("--quick") || process.env.BENCH_QUICK === "1";
const number = (name, fallback) => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number, got "${raw}"`);
  return n;
};
const cores = os.availableParallelism();
const port = number("BENCH_PORT", 3900);
// The portal's default (lib/passwords/admission.ts: 4 per core) unless BENCH_LOGIN_QUEUE says.
const loginQueue = number("BENCH_LOGIN_QUEUE", 4 * cores);
const settings = {
  duration: number("BENCH_DURATION", quick ? 3 : 6),
  repeats: number("BENCH_REPEATS", quick ? 1 : 3),
  users: 1_000,
  bigUsers: number("BENCH_BIG_USERS", quick ? 10_000 : 100_000),
  cost: number("BENCH_BCRYPT_COST", 10),
  loginQueue,
  parallel: cores,
  loginConnections: [16, 64],
  // Just enough logins to keep every hashing slot busy and the admission queue full, none shed:
  // the CPU is saturated by hashing, not by a flood of page views (a closed loop of 64 clients
  // refused at once would mostly be re-fetching the page).
  saturatingConnections: cores + loginQueue,
  pageConnections: 8,
  ssoConnections: 16,
  apiConnections: 8,
  algorithm: "RS256",
  // Logins come from this many addresses (X-Forwarded-For through one trusted proxy hop), as they
  // would from real users; 1 sends them all from 127.0.0.1, which serializes them on that
  // address's throttle counter (lib/throttle).
  clientAddresses: number("BENCH_CLIENT_ADDRESSES", 1_000),
};
const apiKey = `gh_bench_${randomBytes(18).toString("base64url")}`;
const origin = `http://localhost:${port}`;
const target = `http://127.0.0.1:${port}`;
const hostHeader = { host: `localhost:${port}` };
const log = (line) => console.log(`[bench] ${line}`);

// ── child processes ────────────────────────────────────────────────────────────────────────────

/** Forks `file`, sends it `message`, resolves with its `{ result }` answer. */
function inChild(file, message) {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(here, file), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    child.once("message", (answer) =>
      answer.error ? reject(new Error(answer.error)) : resolve(answer.result),
    );
    child.once("exit", (code) => code && reject(new Error(`${file} exited with ${code}`)));
    child.send(message);
  });
}

function seed(backend, realm, users, ...args) {
  const out = spawnSync(
    process.execPath,
    [
      "--conditions=react-server",
      path.join(root, "node_modules/tsx/dist/cli.mjs"),
      "scripts/bench/seed.ts",
      ...args,
    ],
    {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      env: {
        ...backend.env,
        PUBLIC_URL: origin,
        BENCH_REALM: realm,
        BENCH_USERS: String(users),
        BENCH_BCRYPT_COST: String(settings.cost),
      },
    },
  );
  if (out.status !== 0) throw new Error(`seeding ${backend.name} failed`);
  return JSON.parse(out.stdout.trim().split("\n").at(-1));
}

async function startPortal(backend, realm) {
  const proc = spawn(process.execPath, [path.join(root, "scripts/serve.mjs")], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...backend.env,
      PORT: String(port),
      PUBLIC_URL: origin,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      GATEHOUSE_DEV_MAILBOX: "1", // no SMTP: nothing is mailed in these scenarios
      GATEHOUSE_BOOTSTRAP_API_KEY: apiKey,
      GATEHOUSE_LOGIN_QUEUE: String(settings.loginQueue),
      GATEHOUSE_TRUSTED_PROXIES: "1", // the load generator is the proxy naming the client addresses
    },
  });
  const exited = new Promise((resolve) => proc.once("exit", resolve));
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${target}/${realm}/connect/jwks`)).ok) break;
    } catch {}
    if (proc.exitCode !== null || i > 240) throw new Error(`the portal did not start on ${backend.name}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    pid: proc.pid,
    async stop() {
      proc.kill("SIGTERM");
      const late = setTimeout(() => proc.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(late);
    },
  };
}

/** The kernel's record of the process's largest resident set so far (Linux), in MB. */
function peakRssMb(pid) {
  try {
    const kb = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

/** CPU seconds the process has used so far (Linux; null elsewhere). */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ (100)
  } catch {
    return null;
  }
}

/**
 * Waits until the server has worked off what the last scenario left in flight (requests the load
 * generator gave up on at the end of its time are still being answered): under 10 % of a core for
 * half a second, at most 60 s. Without /proc, a fixed 3 s.
 */
async function settle(pid) {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  if (cpuSeconds(pid) === null) return sleep(3000);
  for (let i = 0; i < 120; i++) {
    const before = cpuSeconds(pid);
    await sleep(500);
    const used = cpuSeconds(pid) - before;
    if (used < 0.05) return;
  }
}

// ── scenarios ──────────────────────────────────────────────────────────────────────────────────

/**
 * One run of a scenario, with the CPU time the server (or `cpuOf`) spent meanwhile: CPU per answer
 * barely depends on what else the machine runs, unlike requests per second.
 */
async function measure(b, name, spec, { settled = false, cpuOf = b.pid } = {}) {
  if (!settled) await settle(b.pid);
  const cpuBefore = cpuSeconds(cpuOf);
  const result = await inChild("load.mjs", {
    url: target,
    duration: settings.duration,
    headers: hostHeader,
    ...spec,
  });
  const cpuAfter = cpuSeconds(cpuOf);
  if (cpuBefore !== null && cpuAfter !== null) {
    result.serverCpuMs = (cpuAfter - cpuBefore) * 1000;
    result.serverCpuMsPerOk = result.ok ? result.serverCpuMs / result.ok : null;
  }
  b.scenarios[name] = [...(b.scenarios[name] ?? []), result];
  const extra = result.busy ? `, ${result.busy} shed` : "";
  const latency =
    result.loginP50 != null
      ? `login p50 ${fmt(result.loginP50)} / p99 ${fmt(result.loginP99)} ms`
      : `p50 ${result.p50} / p99 ${result.p99} ms`;
  log(`${b.name} · ${name}: ${fmt(result.okPerSec)}/s ok, ${latency}${extra}, ${result.failed} failed`);
  return result;
}
const fmt = (n) => (n == null ? "–" : n >= 100 ? n.toFixed(0) : n.toFixed(1));

async function benchBackend(backend) {
  const realm = `bench-${randomBytes(3).toString("hex")}`;
  const b = {
    name: backend.name,
    scenarios: {},
    raw: { bcrypt: [], bcryptCpuMs: [], bcryptBig: [], jose: [], bcryptLibrary: null },
    peakRssMb: {},
  };
  log(`${backend.name}: seeding ${settings.users} users in realm ${realm}`);
  const seeded = seed(backend, realm, settings.users);
  settings.algorithm = seeded.algorithm;
  let portal = await startPortal(backend, realm);
  b.pid = portal.pid;
  const ceiling = fork(path.join(here, "ceiling-server.mjs"), [], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  try {
    const loginPath = `/${realm}/login?client_id=${seeded.appId}&redirect_uri=${encodeURIComponent(seeded.redirectUri)}`;
    const login = {
      kind: "login",
      loginPath,
      origin,
      users: seeded.users,
      password: seeded.password,
      clientAddresses: settings.clientAddresses,
    };

    // The SSO scenario reuses one session; its user is not among those the logins pick.
    const sso = await logInOnce({ origin, loginPath, email: "sso@bench.test", password: seeded.password });
    if (sso.outcome !== "ok")
      throw new Error(`the bench login failed (${sso.status}): is the build current?`);
    const page = await fetch(`${origin}${loginPath}`);
    const headers = Object.fromEntries(
      [...page.headers].filter(
        ([k]) => !["set-cookie", "date", "transfer-encoding", "connection", "keep-alive"].includes(k),
      ),
    );
    ceiling.send({ port: port + 1, body: await page.text(), headers });
    await new Promise((resolve) => ceiling.once("message", resolve));

    // Next.js loads a route's code on its first request: both phases warm up the same way.
    const warmUp = async (users) => {
      log("warming up");
      await inChild("load.mjs", {
        url: target,
        headers: hostHeader,
        duration: 2,
        connections: 4,
        path: loginPath,
      });
      await inChild("load.mjs", {
        url: target,
        headers: hostHeader,
        duration: 3,
        connections: 4,
        ...login,
        users,
      });
    };
    await warmUp(seeded.users);

    const api = {
      headers: { ...hostHeader, authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    };
    for (let r = 1; r <= settings.repeats; r++) {
      log(`${backend.name}: repeat ${r} of ${settings.repeats}`);
      const raw = await inChild("raw-rates.mjs", {
        kind: "bcrypt",
        cost: seeded.cost,
        parallel: cores,
        seconds: Math.min(settings.duration, 3),
      });
      b.raw.bcrypt.push(raw.perSec);
      b.raw.bcryptCpuMs.push(raw.cpuMsPerVerify);
      b.raw.bcryptLibrary = raw.library;
      const jose = await inChild("raw-rates.mjs", {
        kind: "jose",
        algorithm: seeded.algorithm,
        parallel: cores,
        seconds: 2,
      });
      b.raw.jose.push(jose.perSec);
      log(
        `raw: ${fmt(raw.perSec)} bcrypt verifies/s (${raw.library}), ${fmt(jose.perSec)} ${seeded.algorithm} signs/s`,
      );

      await measure(b, `page c${settings.pageConnections}`, {
        path: loginPath,
        connections: settings.pageConnections,
      });
      await measure(
        b,
        `ceiling c${settings.pageConnections}`,
        { url: `http://127.0.0.1:${port + 1}`, path: loginPath, connections: settings.pageConnections },
        { cpuOf: ceiling.pid },
      );
      // One login per core: nothing waits or is shed, so the server's CPU per login is the cost of
      // one login, to set beside the CPU of one raw verify.
      await measure(b, `login c${cores}`, { ...login, connections: cores });
      for (const c of settings.loginConnections)
        await measure(b, `login c${c}`, { ...login, connections: c });
      // Logins saturate the CPU from a second generator, a second before the page is measured and a
      // second after; the page generator alone sets the time.
      await settle(portal.pid);
      const saturating = inChild("load.mjs", {
        url: target,
        headers: hostHeader,
        duration: settings.duration + 2,
        ...login,
        connections: settings.saturatingConnections,
      });
      await new Promise((r) => setTimeout(r, 1000));
      await measure(
        b,
        `page during login c${settings.saturatingConnections}`,
        { path: loginPath, connections: settings.pageConnections },
        { settled: true },
      );
      await saturating;
      await measure(b, `sso c${settings.ssoConnections}`, {
        path: loginPath,
        connections: settings.ssoConnections,
        check: "sso",
        headers: { ...hostHeader, cookie: sso.cookie },
      });
      await measure(b, `api create c${settings.apiConnections}`, {
        ...api,
        method: "POST",
        path: `/api/v1/realms/${realm}/users`,
        uniqueBody: '{"email":"api-{n}@bench.test"}',
        check: "created",
        connections: settings.apiConnections,
      });
      await measure(b, `api list c${settings.apiConnections}`, {
        ...api,
        path: `/api/v1/realms/${realm}/users?limit=50`,
        connections: settings.apiConnections,
      });
    }
    b.peakRssMb.small = peakRssMb(portal.pid);
    await portal.stop();

    log(`${backend.name}: growing to ${settings.bigUsers} users`);
    seed(backend, realm, settings.bigUsers);
    portal = await startPortal(backend, realm);
    b.pid = portal.pid;
    await warmUp(settings.bigUsers);
    for (let r = 1; r <= settings.repeats; r++) {
      const c = settings.loginConnections[0];
      // The machine's load drifts between the phases: each repeat measures the hash rate again, so
      // that the two sizes compare as fractions of it (login ÷ raw verify), not only in ms.
      const raw = await inChild("raw-rates.mjs", {
        kind: "bcrypt",
        cost: seeded.cost,
        parallel: cores,
        seconds: Math.min(settings.duration, 3),
      });
      b.raw.bcryptBig.push(raw.perSec);
      await measure(b, `login c${c} at ${settings.bigUsers} users`, {
        ...login,
        users: settings.bigUsers,
        connections: c,
      });
    }
    b.peakRssMb.big = peakRssMb(portal.pid);
    delete b.pid;
  } finally {
    ceiling.disconnect();
    await portal.stop();
    if (backend.cleanUp) backend.cleanUp(realm);
  }
  return b;
}

// ── the run ────────────────────────────────────────────────────────────────────────────────────

function commit() {
  try {
    const sha = execSync("git rev-parse --short HEAD", { cwd: root, encoding: "utf8" }).trim();
    // The results of an earlier run are not a change to what is measured.
    const dirty = execSync("git status --porcelain -- . ':!bench/results'", {
      cwd: root,
      encoding: "utf8",
    }).trim();
    return dirty ? `${sha} (with uncommitted changes)` : sha;
  } catch {
    return "unknown";
  }
}

const loadavg = () => os.loadavg().map((n) => n.toFixed(2));
const machine = {
  date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
  cpus: cores,
  cpuModel: os.cpus()[0]?.model.trim() ?? "unknown CPU",
  node: process.version,
  commit: commit(),
  loadBefore: loadavg(),
};

buildIfNeeded();
const tmp = mkdtempSync(path.join(os.tmpdir(), "gatehouse-bench-"));
const cleanUpTmp = () => rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
process.on("exit", cleanUpTmp);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(130));

const pgliteEnv = { ...process.env, GATEHOUSE_DATA_DIR: path.join(tmp, "data") };
delete pgliteEnv.DATABASE_URL;
const backends = [{ name: "PGlite", env: pgliteEnv }];
if (process.env.BENCH_DATABASE_URL) {
  const backend = {
    name: "PostgreSQL",
    env: { ...process.env, DATABASE_URL: process.env.BENCH_DATABASE_URL },
  };
  backend.cleanUp = (realm) => seed(backend, realm, 0, "--drop");
  backends.push(backend);
}

log(
  `${quick ? "quick run: " : ""}${settings.repeats} × ${settings.duration} s per scenario, bcrypt cost ${settings.cost}, ${cores} cores, port ${port}`,
);
const results = { machine, settings, backends: [] };
for (const backend of backends) results.backends.push(await benchBackend(backend));
machine.loadAfter = loadavg();
if (process.env.BENCH_NOTE) results.note = process.env.BENCH_NOTE;

const outDir = path.resolve(root, process.env.BENCH_RESULTS_DIR ?? "bench/results");
mkdirSync(outDir, { recursive: true });
writeFileSync(path.join(outDir, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
const table = markdown(results);
writeFileSync(path.join(outDir, "latest.md"), table);
console.log(`\n${table}`);
log(`written to ${path.relative(root, outDir)}/latest.md and latest.json`);
