/**
 * Runs once when the server starts: a bad environment or an unreachable database stops the process
 * here with a clear message (instead of a 500 on the first request), and migrations run before the
 * first request. Never during `next build`, which must not open the data directory.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { env } = await import("@/lib/env");
  const { getDb } = await import("@/lib/db");
  try {
    env();
    await getDb();
  } catch (error) {
    console.error(`\nGatehouse cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
