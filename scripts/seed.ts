/**
 * Migrates and seeds the demo realm, then exits (closing PGlite before the server opens it).
 * Prints one JSON line for scripts/start.mjs.
 */
import { openDatabase, targetFromEnv } from "@/lib/db";
import { seedDemo } from "@/lib/demo/seed";
import { env } from "@/lib/env";
import { createServices } from "@/lib/services";

async function main() {
  const handle = await openDatabase(targetFromEnv());
  try {
    const gh = createServices({ db: handle.db, publicUrl: env().PUBLIC_URL });
    const demoAppUrl = (process.env.DEMO_APP_URL ?? "http://localhost:3001").replace(/\/+$/, "");
    console.log(JSON.stringify(await seedDemo(gh, demoAppUrl)));
  } finally {
    await handle.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
