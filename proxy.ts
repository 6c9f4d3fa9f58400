import { type NextRequest, NextResponse } from "next/server";
import { env } from "@/lib/env";
import { csrfCookie, isSecureUrl, linkTokenCookie } from "@/lib/http/cookies";
import { CSRF_REQUEST_HEADER, isCsrfTokenShape, newCsrfToken } from "@/lib/http/csrf";
import { LINK_TOKEN_SECONDS, type LinkTokenMove, linkTokenMove } from "@/lib/http/link-token";
import { baseSecurityHeaders, contentSecurityPolicy } from "@/lib/http/security-headers";

/** A one-time link's secret leaves the address at once (lib/http/link-token.ts). */
function moveLinkToken(move: LinkTokenMove, request: NextRequest, publicUrl: string, https: boolean) {
  // Same origin as the request (Next.js answers a same-origin Location as a relative one).
  const response = NextResponse.redirect(new URL(move.location, request.nextUrl), 303);
  response.headers.set("Cache-Control", "no-store");
  for (const [name, value] of Object.entries(baseSecurityHeaders({ https })))
    response.headers.set(name, value);
  // The one response whose URL carries the secret: it must not travel on as a Referer.
  response.headers.set("Referrer-Policy", "no-referrer");
  const cookie = linkTokenCookie(move.page, publicUrl, move.token ? LINK_TOKEN_SECONDS : 0);
  response.cookies.set(cookie.name, move.token ?? "", cookie.options);
  return response;
}

/**
 * Runs before every page and route: per-request CSP nonce, security headers, and the CSRF cookie.
 * No database access here (DESIGN section 2): it must stay cheap and never fail.
 */
export function proxy(request: NextRequest) {
  const publicUrl = env().PUBLIC_URL;
  const https = isSecureUrl(publicUrl);
  // JSON endpoints (the API, a realm's public keys) need no CSP and must not set cookies: the JWKS
  // is publicly cacheable, and a cached Set-Cookie would hand one CSRF token to many browsers.
  const path = request.nextUrl.pathname;
  const isApi = path.startsWith("/api/") || /^\/[^/]+\/connect\//.test(path);
  const move = request.method === "GET" || request.method === "HEAD" ? linkTokenMove(request.nextUrl) : null;
  if (move) return moveLinkToken(move, request, publicUrl, https);

  const requestHeaders = new Headers(request.headers);
  requestHeaders.delete(CSRF_REQUEST_HEADER);

  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development" });
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);

  const cookie = csrfCookie(publicUrl);
  const existing = request.cookies.get(cookie.name)?.value;
  const csrf = isCsrfTokenShape(existing) ? existing : newCsrfToken();
  if (!isApi) requestHeaders.set(CSRF_REQUEST_HEADER, csrf);

  const response = NextResponse.next({ request: { headers: requestHeaders } });
  if (!isApi) {
    response.headers.set("Content-Security-Policy", csp);
    if (csrf !== existing) response.cookies.set(cookie.name, csrf, cookie.options);
  }
  for (const [name, value] of Object.entries(baseSecurityHeaders({ https })))
    response.headers.set(name, value);
  return response;
}

export const config = {
  // The bulk user import streams bodies of up to 32 MB. Next buffers the body of every request
  // that passes through the proxy, and silently cuts it at 10 MB (experimental.proxyClientMaxBodySize),
  // so that one route stays outside; it sets its own headers (lib/api/import-response.ts).
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico|api/v1/realms/[^/]+/users/import).*)" }],
};
