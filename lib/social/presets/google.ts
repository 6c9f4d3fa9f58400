import { mapOidcClaims } from "../profile";
import type { Preset } from "./preset";

/**
 * Google Identity (OpenID Connect). Discovery: https://accounts.google.com/.well-known/openid-configuration.
 * `email_verified` is a boolean claim; Google asserts it for Gmail and Workspace addresses and for
 * other addresses the user has confirmed.
 */
export const google: Preset = {
  kind: "google",
  displayName: "Google",
  protocol: {
    protocol: "oidc",
    issuer: "https://accounts.google.com",
    scopes: ["openid", "email", "profile"],
    tokenAuthMethod: "client_secret_basic",
  },
  mapProfile: mapOidcClaims,
};
