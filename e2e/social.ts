/**
 * Social login in the e2e suite: the realm's provider is the loopback OpenID Provider that
 * e2e/server.mjs starts (e2e/upstream-oidc.mjs), registered through the providers API.
 */
import type { Page } from "@playwright/test";
import type { Api, RealmInfo } from "./fixtures";
import { UPSTREAM_ISSUER } from "./settings";
// A plain JavaScript module shared with e2e/server.mjs.
import { UPSTREAM_CLIENT_ID, UPSTREAM_CLIENT_SECRET } from "./upstream-oidc.mjs";

export const PROVIDER_NAME = "Upstream ID";
export const PROVIDER_SLUG = "upstream";

/** Makes the loopback OpenID Provider a generic OIDC provider of the realm. */
export function registerUpstream(api: Api, realm: RealmInfo, fields: Record<string, unknown> = {}) {
  return api.createProvider(realm.slug, {
    kind: "oidc",
    slug: PROVIDER_SLUG,
    display_name: PROVIDER_NAME,
    client_id: UPSTREAM_CLIENT_ID,
    client_secret: UPSTREAM_CLIENT_SECRET,
    issuer: UPSTREAM_ISSUER,
    ...fields,
  });
}

/**
 * Signs in at the upstream's development login page. The login name decides the claims
 * (e2e/upstream-oidc.mjs): `ana@example.com` (verified), `unverified:bob@example.com`, `noemail:x`.
 */
export async function signInUpstream(page: Page, login: string) {
  await page.waitForURL((url) => url.href.startsWith(UPSTREAM_ISSUER), { waitUntil: "commit" });
  await page.getByPlaceholder("Enter any login").fill(login);
  await page.getByPlaceholder("and password").fill("anything");
  await page.getByRole("button", { name: "Sign-in" }).click();
}

/** The portal's login page → "Continue with Upstream ID" → the upstream's login page. */
export async function continueWithUpstream(page: Page, login: string) {
  await page.getByRole("link", { name: `Continue with ${PROVIDER_NAME}` }).click();
  await signInUpstream(page, login);
}
