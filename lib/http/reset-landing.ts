import { type CookieSpec, resetCookie } from "./cookies";

/** A realm's reset page; the slug as realm slugs are written (lib/realms/slug.ts). */
const RESET_PATH = /^\/([a-z][a-z0-9-]{0,38}[a-z0-9])\/reset$/;
/** The shape of our link secrets (256-bit base64url); anything else is not worth carrying. */
const SECRET = /^[A-Za-z0-9_-]{32,128}$/;

export interface ResetLanding {
  /** The reset page without the secret in its address. */
  location: string;
  cookie: CookieSpec;
  /** The secret to keep in the cookie, or null to clear it (a malformed link shows "expired"). */
  secret: string | null;
}

/**
 * The landing of a reset link, `GET /{realm}/reset?token=…`: the secret goes into an HttpOnly
 * cookie scoped to the reset page and the browser goes on (303) to the clean address. So the
 * secret never stays in the address bar, history or a Referer, and the form page, which has no
 * secret left to leak, keeps the ordinary `same-origin` referrer policy that its POST needs
 * (lib/http/security-headers.ts). No database here: the page checks the secret.
 * The redirect is built from PUBLIC_URL, never from the Host header.
 */
export function resetLanding(
  method: string,
  url: Pick<URL, "pathname" | "searchParams">,
  publicUrl: string,
): ResetLanding | null {
  if (method !== "GET" && method !== "HEAD") return null;
  const slug = RESET_PATH.exec(url.pathname)?.[1];
  if (!slug || !url.searchParams.has("token")) return null;
  const token = url.searchParams.get("token") ?? "";
  return {
    location: `${publicUrl}/${slug}/reset`,
    cookie: resetCookie(slug, publicUrl),
    secret: SECRET.test(token) ? token : null,
  };
}
