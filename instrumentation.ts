import { reportRequestError } from "@/lib/http/request-failure";

/**
 * Runs once when the server starts (lib/boot.ts): a bad environment or an unreachable database
 * stops the process with a clear message, and migrations run before the first request. Never
 * during `next build`, which must not open the data directory.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { boot } = await import("@/lib/boot");
  await boot();
}

/** A request that failed because the database is down, or that Next could not read, is not a 500 (lib/http/request-failure.ts). */
export function onRequestError(
  error: unknown,
  request: { method?: string; headers: Record<string, string | string[] | undefined> },
) {
  reportRequestError(error, request.headers, request);
}
