/** Where the portal under test runs and how the tests reach its management API. */
export const PORTAL_PORT = Number(process.env.E2E_PORT ?? 3200);
export const PORTAL_URL = `http://localhost:${PORTAL_PORT}`;
/** Fixed, test-only bootstrap key (the server's data directory is thrown away after the run). */
export const API_KEY = "gh_e2e_bootstrap_key_0123456789abcdef";
