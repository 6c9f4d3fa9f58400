// Fails when lib/db/schema and the committed migrations in drizzle/ disagree: it generates into a
// scratch copy and expects drizzle-kit to find nothing to do.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
// drizzle-kit resolves --out relative to the working directory (it prefixes "./"), so the scratch
// copy lives inside the project.
const relative = `.test-data/migration-check-${process.pid}`;
const scratch = path.join(root, relative);
mkdirSync(scratch, { recursive: true });
try {
  cpSync(path.join(root, "drizzle"), scratch, { recursive: true });
  const before = new Set(readdirSync(scratch));
  const result = spawnSync(
    process.execPath,
    [
      path.join(root, "node_modules/drizzle-kit/bin.cjs"),
      "generate",
      "--dialect",
      "postgresql",
      "--schema",
      "./lib/db/schema/index.ts",
      "--out",
      relative,
    ],
    { cwd: root, encoding: "utf8" },
  );
  if (
    result.status !== 0 ||
    /Error/.test(result.stderr) ||
    !/No schema changes|migration file/.test(result.stdout)
  ) {
    console.error(result.stdout, result.stderr);
    process.exitCode = 1;
  }
  const added = readdirSync(scratch).filter((f) => !before.has(f) && f.endsWith(".sql"));
  if (added.length) {
    console.error(
      "The schema in lib/db/schema differs from the committed migrations. Run `npm run db:generate` and commit:",
    );
    for (const file of added)
      console.error(`\n--- ${file}\n${readFileSync(path.join(scratch, file), "utf8")}`);
    process.exitCode = 1;
  } else if (!process.exitCode) {
    console.log("migrations match the schema");
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
