/** `npm run db:migrate`: brings the configured database (PGlite dir or DATABASE_URL) up to date. */
import { openDatabase, targetFromEnv } from "@/lib/db";

async function main() {
  const target = targetFromEnv();
  const handle = await openDatabase(target);
  await handle.close();
  console.log(
    `migrated ${target.kind === "postgres" ? "PostgreSQL (DATABASE_URL)" : `PGlite at ${target.dataDir}`}`,
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
