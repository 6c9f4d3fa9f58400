import "server-only";
import { cookies, headers } from "next/headers";
import { env } from "@/lib/env";
import type { RequestContext } from "@/lib/events";
import { type Messages, messagesFor, resolveLocale } from "@/lib/i18n";
import { csrfCookie, deviceCookiesOf } from "./cookies";
import { CSRF_REQUEST_HEADER, verifyCsrf } from "./csrf";
import { requestContext } from "./request-context";

/** What a hosted page or action needs to know about the request it serves. */
export interface HostedRequest {
  context: RequestContext;
  locale: string;
  nonce: string | undefined;
  csrfToken: string | undefined;
  cookie(name: string): string | undefined;
  /** Whether a submitted form's CSRF field matches this browser's CSRF cookie. */
  csrfMatches(submitted: unknown): boolean;
}

export async function readHostedRequest(): Promise<HostedRequest> {
  const [h, c] = await Promise.all([headers(), cookies()]);
  return {
    context: { ...requestContext(h), devices: deviceCookiesOf(c.getAll(), env().PUBLIC_URL) },
    locale: resolveLocale(h.get("accept-language")),
    nonce: h.get("x-nonce") ?? undefined,
    csrfToken: h.get(CSRF_REQUEST_HEADER) ?? undefined,
    cookie: (name) => c.get(name)?.value,
    csrfMatches: (submitted) => verifyCsrf(submitted, c.get(csrfCookie(env().PUBLIC_URL).name)?.value),
  };
}

/** The message catalogue for this request's language (pages outside a realm, titles). */
export async function requestMessages(): Promise<Messages> {
  return messagesFor(resolveLocale((await headers()).get("accept-language")));
}

export { messagesFor };
