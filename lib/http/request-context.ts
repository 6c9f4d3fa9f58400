import type { RequestContext } from "@/lib/events";

interface HeaderReader {
  get(name: string): string | null;
}

/**
 * Who is asking. Next's server puts the socket's address last in `x-forwarded-for`, so the
 * right-most entry is the one no client can forge. (Trusting configured proxies further left comes
 * with the brute-force work.)
 */
export function requestContext(headers: HeaderReader): RequestContext {
  const forwarded = headers.get("x-forwarded-for");
  const ip = forwarded?.split(",").at(-1)?.trim() || null;
  return { ip, userAgent: headers.get("user-agent") };
}
