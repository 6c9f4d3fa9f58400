/**
 * Return addresses (DESIGN section 2). A registered URI is stored normalised; an incoming one must
 * match it exactly after the same normalisation, or, for apps that allow sub-paths, share its
 * origin and extend its path at a `/` boundary. Anything odd is refused rather than repaired.
 */

// Characters and sequences that have fooled URL parsers or redirect checks somewhere. Anywhere in
// the URI: backslashes, whitespace, control characters and encoded NUL. Before the query (where
// they change which resource is meant): encoded dots, slashes and backslashes, and dot segments
// (including `..;`, which Tomcat-style servers read as `..` though WHATWG keeps it as a segment).
// A query such as `?next=%2Fdashboard` is ordinary and allowed.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const SUSPICIOUS_ANYWHERE = /[\\\s\x00-\x1f\x7f]|%00/i;
const SUSPICIOUS_IN_PATH = /%2e|%2f|%5c|(^|\/)\.\.?(\/|$|#|;)/i;

export type RedirectUriProblem = "malformed" | "scheme" | "userinfo" | "fragment" | "suspicious";

/** Parses and normalises, or says what is wrong. Used when registering and when checking. */
export function parseRedirectUri(
  raw: string,
): { ok: true; url: URL } | { ok: false; problem: RedirectUriProblem } {
  if (raw.length === 0 || raw.length > 2048) return { ok: false, problem: "malformed" };
  const beforeQuery = raw.split("?", 1)[0] ?? raw;
  if (SUSPICIOUS_ANYWHERE.test(raw) || SUSPICIOUS_IN_PATH.test(beforeQuery))
    return { ok: false, problem: "suspicious" };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, problem: "malformed" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, problem: "scheme" };
  // The scheme must be followed by `//` literally: `https:evil.com` and `https:/evil.com` parse as
  // hierarchical URLs in WHATWG but are read differently elsewhere.
  if (!/^https?:\/\/[^/]/i.test(raw)) return { ok: false, problem: "malformed" };
  if (url.username || url.password || /@/.test(raw.split(/[/?#]/, 3)[2] ?? ""))
    return { ok: false, problem: "userinfo" };
  if (url.hash || raw.includes("#")) return { ok: false, problem: "fragment" };
  return { ok: true, url };
}

export function normalizeRedirectUri(raw: string): string | null {
  const parsed = parseRedirectUri(raw);
  return parsed.ok ? parsed.url.href : null;
}

function isPathPrefix(base: string, path: string): boolean {
  if (path === base) return true;
  const prefix = base.endsWith("/") ? base : `${base}/`;
  return path.startsWith(prefix);
}

/** Returns the normalised URI to redirect to, or null when it is not allowed for this app. */
export function matchRedirectUri(
  candidate: string,
  registered: readonly string[],
  options: { allowSubpaths: boolean },
): string | null {
  const parsed = parseRedirectUri(candidate);
  if (!parsed.ok) return null;
  const url = parsed.url;
  for (const entry of registered) {
    const reg = new URL(entry);
    if (url.href === reg.href) return url.href;
    if (options.allowSubpaths && url.origin === reg.origin && isPathPrefix(reg.pathname, url.pathname)) {
      return url.href;
    }
  }
  return null;
}

/** The app URL with the login result appended; existing query parameters are kept. */
export function buildReturnUrl(base: string, params: Record<string, string | undefined | null>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null) url.searchParams.set(key, value);
  }
  return url.href;
}
