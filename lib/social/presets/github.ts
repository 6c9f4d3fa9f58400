import { emailOf, splitName, subjectOf } from "../profile";
import type { RawProfile, UpstreamProfile } from "../types";
import type { Preset } from "./preset";

/**
 * GitHub (OAuth 2.0; GitHub Apps and OAuth Apps alike; no OpenID Connect for users).
 * `GET https://api.github.com/user` gives the numeric `id` (stable; `login` can change) and the
 * full `name`; its `email` is only the public one, with no verified flag. The verified flag is in
 * `GET https://api.github.com/user/emails` (scope `user:email`): we take the primary address, and
 * trust it only when GitHub marks it `verified`.
 * https://docs.github.com/en/rest/users/emails#list-email-addresses-for-the-authenticated-user
 */
export const github: Preset = {
  kind: "github",
  displayName: "GitHub",
  protocol: {
    protocol: "oauth2",
    authorizationEndpoint: "https://github.com/login/oauth/authorize",
    tokenEndpoint: "https://github.com/login/oauth/access_token",
    userinfoEndpoint: "https://api.github.com/user",
    scopes: ["read:user", "user:email"],
    tokenAuthMethod: "client_secret_post",
    extraResources: { emails: "https://api.github.com/user/emails" },
    // GitHub's REST API refuses requests without a User-Agent (403).
    resourceHeaders: {
      accept: "application/vnd.github+json",
      "user-agent": "Gatehouse",
      "x-github-api-version": "2022-11-28",
    },
  },
  mapProfile: mapGithubProfile,
};

interface GithubEmail {
  email?: unknown;
  primary?: unknown;
  verified?: unknown;
}

export function mapGithubProfile(raw: RawProfile): UpstreamProfile {
  const user = raw.userinfo ?? {};
  const emails = Array.isArray(raw.extra.emails) ? (raw.extra.emails as GithubEmail[]) : [];
  const primary = emails.find((e) => typeof e === "object" && e !== null && e.primary === true);
  const primaryEmail = primary ? emailOf(primary.email) : null;
  // Without the emails list (scope refused), the public address is known but not vouched for.
  const email = primaryEmail ?? emailOf(user.email);
  return {
    subject: subjectOf(user.id),
    email,
    emailVerified: primaryEmail !== null && primary?.verified === true,
    ...splitName(user.name),
  };
}
