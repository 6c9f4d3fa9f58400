import { mapOidcClaims } from "../profile";
import type { Preset } from "./preset";

/**
 * "Sign in with Slack" (OpenID Connect). Discovery: https://slack.com/.well-known/openid-configuration
 * (token at `https://slack.com/api/openid.connect.token`, userinfo at
 * `https://slack.com/api/openid.connect.userInfo`). The subject is the Slack user id; the
 * workspace is in the `https://slack.com/team_id` claim.
 */
export const slack: Preset = {
  kind: "slack",
  displayName: "Slack",
  protocol: {
    protocol: "oidc",
    issuer: "https://slack.com",
    scopes: ["openid", "profile", "email"],
    tokenAuthMethod: "client_secret_post",
  },
  mapProfile: mapOidcClaims,
};
