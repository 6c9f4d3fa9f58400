// A real OpenID Provider (panva's oidc-provider) on loopback, the upstream of the social-login specs
// (e2e/social-login.spec.ts). Started by e2e/server.mjs next to the portal (PORT + 3).
//
// Its login page is oidc-provider's development interaction: any login name, any password. The
// login name decides the account's claims, so a spec controls what the provider asserts:
//   "ana@example.com"              sub "sub-ana@example.com", email verified
//   "unverified:bob@example.com"   sub "sub-unverified:bob@example.com", email NOT verified
//   "noemail:carl"                 no email claim at all
// Claims go to the userinfo endpoint only (oidc-provider's default): the portal must call it.
import Provider from "oidc-provider";

export const UPSTREAM_CLIENT_ID = "gatehouse-e2e";
export const UPSTREAM_CLIENT_SECRET = "e2e-upstream-client-secret";

/** The claims of the account a login name stands for (see above). */
export function claimsOf(login) {
  const sub = `sub-${login}`;
  if (login.startsWith("noemail:")) return { sub, given_name: "No", family_name: "Email" };
  const unverified = login.startsWith("unverified:");
  const email = unverified ? login.slice("unverified:".length) : login;
  const local = email.split("@")[0] ?? "user";
  return {
    sub,
    email,
    email_verified: !unverified,
    given_name: local.charAt(0).toUpperCase() + local.slice(1),
    family_name: "Upstream",
  };
}

/**
 * Starts the provider on 127.0.0.1:`port`. `portalUrl` is where the portal runs: any callback under
 * it is an allowed redirect URI (each spec's realm has its own `/{realm}/login/social/{slug}/callback`).
 */
export async function startUpstreamOidc({ port, portalUrl }) {
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: UPSTREAM_CLIENT_ID,
        client_secret: UPSTREAM_CLIENT_SECRET,
        redirect_uris: [`${portalUrl}/callback`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    async findAccount(_ctx, id) {
      return { accountId: id, claims: async () => claimsOf(id) };
    },
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["given_name", "family_name"],
    },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ["e2e-upstream-cookie-key-0123456789"] },
    // Consent is granted with the login: the specs exercise the portal, not the consent screen.
    async loadExistingGrant(ctx) {
      const grantId =
        ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
  });
  // Every realm's callback under the portal is registered (they are made per spec).
  const allowed = provider.Client.prototype.redirectUriAllowed;
  provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(uri) {
    return (
      (uri.startsWith(`${portalUrl}/`) && /\/login\/social\/[^/]+\/callback$/.test(new URL(uri).pathname)) ||
      allowed.call(this, uri)
    );
  };
  const server = provider.listen(port, "127.0.0.1");
  await new Promise((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  return { issuer, server };
}
