// `npm test`: every check CI runs, in order of cost — types, lint, schema vs migrations, unit, DB
// (PGlite, and PostgreSQL when TEST_DATABASE_URL is set), build, reliability (real processes on the
// build and PostgreSQL), end-to-end in Chromium.
// Ends with one summary line: "tests: N passed, N failed".
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const reports = path.join(root, ".test-data", "reports");
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const bin = (p) => path.join(root, "node_modules", p);
const counts = { passed: 0, failed: 0 };

function run(title, args, env = process.env) {
  console.log(`\n=== ${title} ===`);
  const started = Date.now();
  const { status } = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit", env });
  console.log(
    `=== ${title}: ${status === 0 ? "ok" : `FAILED (exit ${status})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return status === 0;
}

function countVitest(file) {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, "utf8"));
  counts.passed += report.numPassedTests ?? 0;
  counts.failed += report.numFailedTests ?? 0;
}

function vitest(title, config, tag, env) {
  const out = path.join(reports, `${tag}.json`);
  const ok = run(
    title,
    [
      bin("vitest/vitest.mjs"),
      "run",
      "--config",
      config,
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${out}`,
    ],
    env,
  );
  countVitest(out);
  if (!ok && !existsSync(out)) counts.failed += 1;
  return ok;
}

const { TEST_DATABASE_URL, ...withoutPg } = process.env;
const steps = [
  () => run("typecheck", [bin("typescript/bin/tsc"), "--noEmit"]),
  () => run("lint", [bin("@biomejs/biome/bin/biome"), "check", "."]),
  () => run("schema matches migrations", [path.join(root, "scripts/check-migrations.mjs")]),
  () => vitest("unit tests", "vitest.config.ts", "unit"),
  () => vitest("DB tests on PGlite", "vitest.db.config.ts", "db-pglite", withoutPg),
  () => {
    if (TEST_DATABASE_URL)
      return vitest("DB tests on PostgreSQL", "vitest.db.config.ts", "db-postgres", process.env);
    console.log("\n(TEST_DATABASE_URL not set: DB tests ran on PGlite only)");
    return true;
  },
  () => run("build", [path.join(root, "scripts/build-if-needed.mjs")]),
  () => {
    // Skips itself (saying why) when no PostgreSQL is reachable; CI always has one.
    const out = path.join(reports, "reliability.json");
    const ok = run(
      "reliability (two instances, PostgreSQL restart, crash mid-delivery, load, form fuzzing)",
      [
        path.join(root, "scripts/test-reliability.mjs"),
        "--reporter=default",
        "--reporter=json",
        `--outputFile.json=${out}`,
      ],
    );
    countVitest(out);
    if (!ok && !existsSync(out)) counts.failed += 1;
    return ok;
  },
  () => {
    const out = path.join(reports, "e2e.json");
    const ok = run("end-to-end (Chromium)", [bin("@playwright/test/cli.js"), "test"], {
      ...process.env,
      PLAYWRIGHT_JSON_OUTPUT_NAME: out,
    });
    if (existsSync(out)) {
      const { stats } = JSON.parse(readFileSync(out, "utf8"));
      counts.passed += stats.expected ?? 0;
      counts.failed += (stats.unexpected ?? 0) + (stats.flaky ?? 0);
    } else if (!ok) counts.failed += 1;
    return ok;
  },
];

let failedSteps = 0;
for (const step of steps) if (!step()) failedSteps++;
console.log(`\ntests: ${counts.passed} passed, ${counts.failed} failed`);
process.exit(failedSteps ? 1 : 0);
