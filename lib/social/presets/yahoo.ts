import { mapOidcClaims } from "../profile";
import type { Preset } from "./preset";

/**
 * Yahoo (OpenID Connect). Discovery: https://api.login.yahoo.com/.well-known/openid-configuration
 * (userinfo at `https://api.login.yahoo.com/openid/v1/userinfo`). The app needs the "OpenID
 * Connect Permissions" Email and Profile in Yahoo's developer console.
 */
export const yahoo: Preset = {
  kind: "yahoo",
  displayName: "Yahoo",
  protocol: {
    protocol: "oidc",
    issuer: "https://api.login.yahoo.com",
    scopes: ["openid", "email", "profile"],
    tokenAuthMethod: "client_secret_basic",
  },
  mapProfile: mapOidcClaims,
};
