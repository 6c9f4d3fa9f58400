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

/** How long a browser keeps its device cookie: Chromium caps every cookie's lifetime at 400 days. */
export const DEVICE_COOKIE_DAYS = 400;

/**
 * The browser's long-lived device id for one realm (new-device login notices, lib/email/login-notices.ts).
 * Set at every login, so it lives as long as the browser keeps logging in; only its hash is stored.
 */
export function deviceCookie(realmId: string, publicUrl: string): CookieSpec {
  const secure = isSecureUrl(publicUrl);
  return {
    name: named(`gh_device_${realmId}`, secure),
    options: { httpOnly: true, secure, sameSite: "lax", path: "/", maxAge: DEVICE_COOKIE_DAYS * 86_400 },
  };
}

/**
 * The device cookies a request carries, by realm id. Under https only `__Host-` names count: a
 * plain-named cookie could have been planted by a sibling subdomain (to make a device look known).
 */
export function deviceCookiesOf(
  cookies: Iterable<{ name: string; value: string }>,
  publicUrl: string,
): Record<string, string> {
  const prefix = named("gh_device_", isSecureUrl(publicUrl));
  const found: Record<string, string> = {};
  for (const { name, value } of cookies) {
    if (!name.startsWith(prefix)) continue;
    const realmId = name.slice(prefix.length);
    if (/^rl_[A-Za-z0-9]{1,60}$/.test(realmId) && value.length <= 128) found[realmId] = value;
  }
  return found;
}
/**
 * The secret of a one-time email link, moved out of the URL by the proxy (lib/http/link-token.ts),
 * one cookie per link page and realm. `__Host-` under https (so Path=/): a sibling subdomain cannot
 * plant one, which would otherwise let it slip its own link (say, a reset of its own account) into
 * a victim's browser.
 */
export function linkTokenCookie(
  page: string,
  slug: string,
  publicUrl: string,
  maxAgeSeconds?: number,
): CookieSpec {
  const secure = isSecureUrl(publicUrl);
  return {
    name: named(`gh_link_${page}_${slug}`, secure),
    options: { httpOnly: true, secure, sameSite: "lax", path: "/", maxAge: maxAgeSeconds },
  };
}
