/** True for a PostgreSQL unique violation, from either driver, whether or not drizzle wrapped it. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const pg = e as { code?: string; constraint?: string; constraint_name?: string };
    if (pg.code === "23505") {
      if (!constraint) return true;
      return (pg.constraint ?? pg.constraint_name) === constraint;
    }
  }
  return false;
}

/** Socket errors (Node), connection errors (postgres.js) that mean the server cannot be reached. */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);

/**
 * True when a query failed because PostgreSQL is unreachable or not serving (down, restarting,
 * out of connections), not because of the query: such a request deserves a 503 and a retry, not a
 * 500. Covers SQLSTATE class 08 (connection exception), 57P01–57P03 (shutdown, crash, starting up)
 * and 53300 (too many connections), from either driver, wrapped by drizzle or not.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return unavailableCause(error) !== null;
}

/** Why the database could not be reached, for the log: `ECONNREFUSED: connect ECONNREFUSED …`, never the query. */
export function unavailableCause(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 10; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === "string") {
      if (UNREACHABLE.has(code) || code.startsWith("08") || /^57P0[123]$/.test(code) || code === "53300")
        return `${code}: ${String(message ?? "").slice(0, 200)}`;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}
