import { type NextRequest, NextResponse } from "next/server";
import { env } from "@/lib/env";
import { csrfCookie, isSecureUrl } from "@/lib/http/cookies";
import { CSRF_REQUEST_HEADER, isCsrfTokenShape, newCsrfToken } from "@/lib/http/csrf";
import { type LinkTokenMove, linkTokenMove } from "@/lib/http/link-token";
import { baseSecurityHeaders, contentSecurityPolicy } from "@/lib/http/security-headers";

/** A one-time link's secret leaves the address at once (lib/http/link-token.ts). */
function moveLinkToken(move: LinkTokenMove, https: boolean) {
  const response = NextResponse.redirect(move.location, 303);
  const { name, options } = move.cookie;
  if (move.token) response.cookies.set(name, move.token, options);
  else response.cookies.set(name, "", { ...options, maxAge: 0 });
  for (const [header, value] of Object.entries(baseSecurityHeaders({ https })))
    response.headers.set(header, value);
  // The one response whose URL carries the secret: it must not travel on as a Referer, or be cached.
  response.headers.set("Referrer-Policy", "no-referrer");
  response.headers.set("Cache-Control", "no-store");
  return response;
}

/**
 * Runs before every page and route: per-request CSP nonce, security headers, and the CSRF cookie.
 * No database access here (DESIGN section 2): it must stay cheap and never fail.
 */
export function proxy(request: NextRequest) {
  const publicUrl = env().PUBLIC_URL;
  const https = isSecureUrl(publicUrl);
  const move = linkTokenMove(request.method, request.nextUrl, publicUrl);
  if (move) return moveLinkToken(move, https);
  // JSON endpoints (the API, a realm's public keys) need no CSP and must not set cookies: the JWKS
  // is publicly cacheable, and a cached Set-Cookie would hand one CSRF token to many browsers.
  const path = request.nextUrl.pathname;
  const isApi = path.startsWith("/api/") || /^\/[^/]+\/connect\//.test(path);

  const requestHeaders = new Headers(request.headers);
  requestHeaders.delete(CSRF_REQUEST_HEADER);

  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy(nonce, {
    dev: process.env.NODE_ENV === "development",
    showsEmail: path.startsWith("/dev/mailbox/"),
  });
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
