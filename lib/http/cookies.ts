/**
 * Cookie names and attributes in one place. Under https every cookie is Secure and carries the
 * `__Host-` prefix (no Domain, Path=/), so a sibling subdomain cannot plant or overwrite it.
 */
export interface CookieSpec {
  name: string;
  options: {
    httpOnly: boolean;
    secure: boolean;
    sameSite: "lax" | "strict";
    path: string;
    maxAge?: number;
  };
}

export function isSecureUrl(publicUrl: string): boolean {
  // Schemes are case-insensitive: `HTTPS://…` in PUBLIC_URL must not turn Secure cookies off.
  return /^https:\/\//i.test(publicUrl);
}

function named(base: string, secure: boolean): string {
  return secure ? `__Host-${base}` : base;
}

export function sessionCookie(realmId: string, publicUrl: string, maxAgeSeconds?: number): CookieSpec {
  const secure = isSecureUrl(publicUrl);
  return {
    name: named(`gh_session_${realmId}`, secure),
    options: { httpOnly: true, secure, sameSite: "lax", path: "/", maxAge: maxAgeSeconds },
  };
}

export function csrfCookie(publicUrl: string): CookieSpec {
  const secure = isSecureUrl(publicUrl);
  return { name: named("gh_csrf", secure), options: { httpOnly: true, secure, sameSite: "lax", path: "/" } };
}

/** A login waiting on a step (DESIGN section 2.1): short-lived, one per realm and browser. */
export function flowCookie(realmId: string, publicUrl: string): CookieSpec {
  const secure = isSecureUrl(publicUrl);
  return {
    name: named(`gh_flow_${realmId}`, secure),
    options: { httpOnly: true, secure, sameSite: "lax", path: "/" },
  };
}

/**
 * The secret of a one-time email link, moved out of the address bar by the proxy
 * (lib/http/link-token.ts): one per kind of link page, short-lived.
 */
export function linkTokenCookie(page: string, publicUrl: string, maxAgeSeconds?: number): CookieSpec {
  const secure = isSecureUrl(publicUrl);
  return {
    name: named(`gh_link_${page}`, secure),
    options: { httpOnly: true, secure, sameSite: "lax", path: "/", maxAge: maxAgeSeconds },
  };
}
