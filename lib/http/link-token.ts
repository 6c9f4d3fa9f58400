import { type CookieSpec, linkTokenCookie } from "./cookies";

/**
 * Pages opened from a one-time link in an email (`/{realm}/reset?token=…`,
 * `/{realm}/verify-email?token=…`) must not keep the secret in their address: it would sit in the
 * history and, as a Referer, leak with every request the page makes. `Referrer-Policy: no-referrer`
 * on the page itself is not an option: under it Chromium sends `Origin: null` with a form post, and
 * Next.js refuses a server action whose Origin does not match (lib/http/security-headers.ts). So
 * the proxy moves the secret out at once: into a short-lived HttpOnly cookie of that page and realm
 * (lib/http/cookies.ts linkTokenCookie), with a `303` (under `no-referrer`, built from PUBLIC_URL, never the Host header) to the
 * same page without it. The page reads the cookie; its forms are ordinary same-origin posts.
 */
export const LINK_TOKEN_PAGES = ["reset", "verify-email"] as const;

export type LinkTokenPage = (typeof LINK_TOKEN_PAGES)[number];

/** How long the cookie lasts: long enough to read the page and act; the link itself may last longer. */
export const LINK_TOKEN_SECONDS: Record<LinkTokenPage, number> = {
  reset: 60 * 60,
  "verify-email": 30 * 60,
};

/** A realm's link page, the slug as realm slugs are written (lib/realms/slug.ts). */
const LINK_PATH = /^\/([a-z][a-z0-9-]{0,38}[a-z0-9])\/([a-z-]+)$/;
/** Our secrets are 256-bit base64url; anything else is dropped rather than stored. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32,128}$/;

export interface LinkTokenMove {
  page: LinkTokenPage;
  /** Where the browser goes next: the same page and query, without `token`. */
  location: string;
  cookie: CookieSpec;
  /** The secret to keep in the cookie, or null to clear it (a malformed link shows "expired"). */
  token: string | null;
}

const isLinkPage = (segment: string | undefined): segment is LinkTokenPage =>
  (LINK_TOKEN_PAGES as readonly string[]).includes(segment ?? "");

/** For `GET /{realm}/{link page}?token=…`, what the proxy answers instead of the page; null otherwise. */
export function linkTokenMove(
  method: string,
  url: Pick<URL, "pathname" | "searchParams">,
  publicUrl: string,
): LinkTokenMove | null {
  if (method !== "GET" && method !== "HEAD") return null;
  const [, slug, page] = LINK_PATH.exec(url.pathname) ?? [];
  if (!slug || !isLinkPage(page) || !url.searchParams.has("token")) return null;
  const token = url.searchParams.get("token") ?? "";
  const rest = new URLSearchParams(url.searchParams);
  rest.delete("token");
  const query = rest.toString();
  return {
    page,
    location: `${publicUrl}/${slug}/${page}${query ? `?${query}` : ""}`,
    cookie: linkTokenCookie(page, slug, publicUrl, LINK_TOKEN_SECONDS[page]),
    token: TOKEN_SHAPE.test(token) ? token : null,
  };
}
