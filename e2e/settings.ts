/** Where the portal under test runs and how the tests reach its management API. */
export const PORTAL_PORT = Number(process.env.E2E_PORT ?? 3200);
export const PORTAL_URL = `http://localhost:${PORTAL_PORT}`;
/** Fixed, test-only bootstrap key (the server's data directory is thrown away after the run). */
export const API_KEY = "gh_e2e_bootstrap_key_0123456789abcdef";
/** The SMTP catcher the portal sends to (e2e/server.mjs), and its JSON view for the fixtures. */
export const SMTP_PORT = PORTAL_PORT + 1;
export const MAIL_API_URL = `http://127.0.0.1:${PORTAL_PORT + 2}`;
/** The upstream OpenID Provider of the social-login specs (e2e/upstream-oidc.mjs): PORT + 3. */
export const UPSTREAM_ISSUER = `http://127.0.0.1:${PORTAL_PORT + 3}`;
