import type { RequestContext } from "@/lib/events";

interface HeaderReader {
  get(name: string): string | null;
}

/** Set by scripts/serve.mjs from the socket (and trusted proxies only); clients cannot forge it. */
export const CLIENT_IP_HEADER = "x-gatehouse-client-ip";

/**
 * Who is asking. Under `npm start` the address comes from scripts/serve.mjs. Under `next dev` there
 * is no such layer, and the right-most `x-forwarded-for` entry is the best guess (fine for
 * development, not for production: run the portal with scripts/serve.mjs).
 */
export function requestContext(headers: HeaderReader): RequestContext {
  const trusted = headers.get(CLIENT_IP_HEADER);
  // Once scripts/serve.mjs has spoken, its word is final, even when it could not tell (empty):
  // falling back to `x-forwarded-for` there would let the client choose its address.
  const ip =
    trusted !== null ? trusted || null : headers.get("x-forwarded-for")?.split(",").at(-1)?.trim() || null;
  return { ip: ip?.slice(0, 64) ?? null, userAgent: headers.get("user-agent")?.slice(0, 512) ?? null };
}
