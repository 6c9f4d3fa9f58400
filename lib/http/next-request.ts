import "server-only";
import { cookies, headers } from "next/headers";
import type { RequestContext } from "@/lib/events";
import { messagesFor, resolveLocale } from "@/lib/i18n";
import { CSRF_REQUEST_HEADER } from "./csrf";
import { requestContext } from "./request-context";

/** What a hosted page or action needs to know about the request it serves. */
export interface HostedRequest {
  context: RequestContext;
  locale: string;
  nonce: string | undefined;
  csrfToken: string | undefined;
  cookie(name: string): string | undefined;
}

export async function readHostedRequest(): Promise<HostedRequest> {
  const [h, c] = await Promise.all([headers(), cookies()]);
  return {
    context: requestContext(h),
    locale: resolveLocale(h.get("accept-language")),
    nonce: h.get("x-nonce") ?? undefined,
    csrfToken: h.get(CSRF_REQUEST_HEADER) ?? undefined,
    cookie: (name) => c.get(name)?.value,
  };
}

export { messagesFor };
