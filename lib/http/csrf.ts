import { constantTimeEqual, newSecret } from "@/lib/crypto/secrets";

/**
 * Double-submit CSRF token. The proxy gives every browser an HttpOnly random cookie; forms echo it
 * in a hidden field. A cross-site page can make the browser send the cookie but cannot read it,
 * so it cannot fill the field. (Next's own Origin check on server actions stays on as well.)
 */
export const CSRF_FIELD = "csrf_token";
export const CSRF_REQUEST_HEADER = "x-gatehouse-csrf";

export function newCsrfToken(): string {
  return newSecret(24);
}

export function isCsrfTokenShape(value: string | undefined | null): value is string {
  return typeof value === "string" && /^[A-Za-z0-9_-]{32}$/.test(value);
}

export function verifyCsrf(fromForm: unknown, fromCookie: string | undefined): boolean {
  if (typeof fromForm !== "string" || !isCsrfTokenShape(fromCookie) || !isCsrfTokenShape(fromForm))
    return false;
  return constantTimeEqual(fromForm, fromCookie);
}
