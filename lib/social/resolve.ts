import { AppError } from "@/lib/errors";
import type { RawProfile, ResolvedProvider, SocialProvider, UpstreamProfile } from "./types";

/**
 * PLACEHOLDER (flow branch): a minimal resolver for generic `oidc` providers only, with the standard
 * claims (sub, email, email_verified, given_name, family_name). The providers branch owns the real
 * `resolveProvider` (presets, `oauth2` mappings) with this same signature; at merge, that one wins.
 */
export function resolveProvider(provider: SocialProvider): ResolvedProvider {
  if (provider.kind !== "oidc" || !provider.config.issuer)
    throw new AppError("social.failed", { message: `unsupported provider kind ${provider.kind}` });
  return {
    provider,
    protocol: {
      protocol: "oidc",
      issuer: provider.config.issuer,
      scopes: provider.scopes.length ? provider.scopes : ["openid", "email", "profile"],
      tokenAuthMethod: "client_secret_basic",
    },
    mapProfile(raw: RawProfile): UpstreamProfile {
      const claims = { ...raw.idToken, ...raw.userinfo };
      const subject = raw.idToken?.sub ?? raw.userinfo?.sub;
      if (typeof subject !== "string" || subject === "") throw new AppError("social.profile_invalid");
      const text = (value: unknown) => (typeof value === "string" && value.trim() ? value.trim() : null);
      const email = text(claims.email)?.toLowerCase() ?? null;
      return {
        subject,
        email,
        emailVerified: email !== null && claims.email_verified === true,
        firstName: text(claims.given_name),
        lastName: text(claims.family_name),
      };
    },
  };
}
