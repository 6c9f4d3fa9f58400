/**
 * Pages opened from a one-time link in an email (`/{realm}/verify-email?token=…`) must not keep
 * the secret in their address: it would sit in the history and, as a Referer, leak with every
 * request the page makes. `Referrer-Policy: no-referrer` on the page itself is not an option here:
 * under it Chromium sends `Origin: null` with a form post, and Next.js refuses a server action
 * whose Origin does not match (lib/http/security-headers.ts). So the proxy moves the secret out at
 * once: into a short-lived HttpOnly cookie, with a `303` (under `no-referrer`) to the same page
 * without it. The page reads the cookie; its forms are ordinary same-origin posts.
 *
 * To give another link page (`/reset`, say) the same treatment, add its path segment here and
 * read `linkTokenCookie(page, …)` where it used `?token=`.
 */
export const LINK_TOKEN_PAGES = ["verify-email"] as const;

export type LinkTokenPage = (typeof LINK_TOKEN_PAGES)[number];

/** Long enough to read the page and press its button; the link itself works far longer. */
export const LINK_TOKEN_SECONDS = 30 * 60;

/** Secrets are base64url; anything else (or longer) is dropped rather than stored. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{1,256}$/;

export interface LinkTokenMove {
  page: LinkTokenPage;
  /** The secret to keep in the cookie, or null to clear it (a malformed token). */
  token: string | null;
  /** Where the browser goes next: the same path and query, without `token` (relative). */
  location: string;
}

const isLinkPage = (segment: string | undefined): segment is LinkTokenPage =>
  (LINK_TOKEN_PAGES as readonly string[]).includes(segment ?? "");

/** For `/{realm}/{link page}?token=…`, what the proxy does instead of serving it; null otherwise. */
export function linkTokenMove(url: URL): LinkTokenMove | null {
  const page = /^\/[^/]+\/([^/]+)\/?$/.exec(url.pathname)?.[1];
  if (!isLinkPage(page) || !url.searchParams.has("token")) return null;
  const token = url.searchParams.get("token") ?? "";
  const rest = new URLSearchParams(url.searchParams);
  rest.delete("token");
  const query = rest.toString();
  return {
    page,
    token: TOKEN_SHAPE.test(token) ? token : null,
    location: `${url.pathname}${query ? `?${query}` : ""}`,
  };
}
