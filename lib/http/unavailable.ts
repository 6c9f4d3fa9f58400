import { isDatabaseUnavailable } from "@/lib/db/errors";

/** Set by the portal's node:http layer on every request (scripts/outage-response.mjs). */
export const REQUEST_ID_HEADER = "x-gatehouse-request-id";

type Headers = Record<string, string | string[] | undefined>;
const layer = globalThis as typeof globalThis & { __gatehouseDatabaseUnavailable?: (id: string) => void };

/**
 * Called for every error Next.js catches while handling a request (instrumentation.ts). When the
 * database could not be reached, tells the node:http layer, which answers that request with a 503
 * and a clear page instead of Next's 500. Synchronous on purpose: Next does not wait for this hook
 * before it writes the error response.
 */
export function reportRequestError(error: unknown, headers: Headers): boolean {
  if (!isDatabaseUnavailable(error)) return false;
  const id = headers[REQUEST_ID_HEADER];
  if (typeof id === "string") layer.__gatehouseDatabaseUnavailable?.(id);
  return true;
}
