import { mapOidcClaims } from "../profile";
import type { Preset } from "./preset";

/**
 * "Sign In with LinkedIn using OpenID Connect" (the only sign-in product since August 2023).
 * Discovery: https://www.linkedin.com/oauth/.well-known/openid-configuration, which lists
 * `client_secret_post` as the only client authentication. The userinfo carries `email_verified`
 * as a boolean.
 */
export const linkedin: Preset = {
  kind: "linkedin",
  displayName: "LinkedIn",
  protocol: {
    protocol: "oidc",
    issuer: "https://www.linkedin.com/oauth",
    scopes: ["openid", "profile", "email"],
    tokenAuthMethod: "client_secret_post",
  },
  mapProfile: mapOidcClaims,
};
