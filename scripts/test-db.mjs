// `npm run test:db`: the DB suite on PGlite, then again on PostgreSQL when TEST_DATABASE_URL is set.
import { spawnSync } from "node:child_process";

const vitest = [
  "node_modules/vitest/vitest.mjs",
  "run",
  "--config",
  "vitest.db.config.ts",
  ...process.argv.slice(2),
];
const { TEST_DATABASE_URL, ...rest } = process.env;

console.log("\n== DB tests on PGlite ==");
let status = spawnSync(process.execPath, vitest, { stdio: "inherit", env: rest }).status ?? 1;
if (TEST_DATABASE_URL) {
  console.log("\n== DB tests on PostgreSQL (TEST_DATABASE_URL) ==");
  status ||= spawnSync(process.execPath, vitest, { stdio: "inherit", env: process.env }).status ?? 1;
} else {
  console.log("\n(TEST_DATABASE_URL not set: skipping the PostgreSQL run)");
}
process.exit(status);
