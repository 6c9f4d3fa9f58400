/**
 * Response headers of every page (DESIGN section 6). Scripts run only with this request's nonce;
 * styles come from our own origin or carry the nonce; nothing may frame us.
 *
 * `showsEmail` (the development mailbox): an email's HTML is shown in a sandboxed `srcdoc` frame,
 * which inherits this policy. Email HTML is styled inline (attributes, `<style>`) and may load
 * remote images, so those are allowed there; scripts stay as strict (and the sandbox forbids them).
 */
export function contentSecurityPolicy(
  nonce: string,
  options: { dev: boolean; showsEmail?: boolean },
): string {
  const script = options.dev
    ? `'self' 'nonce-${nonce}' 'strict-dynamic' 'unsafe-eval'`
    : `'self' 'nonce-${nonce}' 'strict-dynamic'`;
  return [
    "default-src 'self'",
    `script-src ${script}`,
    // A nonce would make browsers ignore 'unsafe-inline': the email page lists none for styles.
    options.showsEmail ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    options.showsEmail ? "img-src 'self' data: https:" : "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    // No form-action: Chromium applies it to the redirect that follows a form post, and a login
    // form's whole purpose is to end on the app's (registered, validated) return address.
    "frame-ancestors 'none'",
  ].join("; ");
}

export function baseSecurityHeaders(options: { https: boolean }): Record<string, string> {
  const headers: Record<string, string> = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    // Nothing leaves for other origins (a token-carrying URL included). Not `no-referrer`: under it
    // Chromium sends `Origin: null` with a plain form post, which breaks login without JavaScript.
    // The one URL with a secret, a reset link, never renders a page: its landing redirects with
    // `no-referrer` and keeps the secret in a cookie (lib/http/link-token.ts).
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
  };
  if (options.https) headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains";
  return headers;
}
