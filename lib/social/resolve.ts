import { AppError } from "@/lib/errors";
import { presets } from "./presets";
import { mapOidcClaims, mapWithFieldMapping } from "./profile";
import type { ProviderProtocol, ResolvedProvider, SocialProvider } from "./types";

/** Scopes of a generic OpenID Connect provider that sets none. */
export const DEFAULT_OIDC_SCOPES = ["openid", "email", "profile"];

/** The provider's own scopes when it has any, else the defaults; OpenID Connect always asks `openid`. */
function scopesFor(provider: SocialProvider, defaults: string[], protocol: ProviderProtocol["protocol"]) {
  const scopes = provider.scopes.length > 0 ? [...provider.scopes] : [...defaults];
  if (protocol === "oidc" && !scopes.includes("openid")) scopes.unshift("openid");
  return scopes;
}

/**
 * How to log in with a realm's provider: a preset's endpoints and mapping, or a generic provider's
 * configured issuer or endpoints. The API validated the configuration when it was saved
 * (lib/social/provider-input.ts); a row that lacks what its kind needs is refused here as a
 * failed provider rather than half-used.
 */
export function resolveProvider(provider: SocialProvider): ResolvedProvider {
  if (provider.kind === "oidc") {
    const issuer = provider.config.issuer;
    if (!issuer) throw new AppError("social.failed");
    return {
      provider,
      protocol: {
        protocol: "oidc",
        issuer,
        scopes: scopesFor(provider, DEFAULT_OIDC_SCOPES, "oidc"),
        tokenAuthMethod: "client_secret_basic",
      },
      mapProfile: mapOidcClaims,
    };
  }
  if (provider.kind === "oauth2") {
    const { authorization_endpoint, token_endpoint, userinfo_endpoint, mapping } = provider.config;
    if (!authorization_endpoint || !token_endpoint || !userinfo_endpoint || !mapping?.id)
      throw new AppError("social.failed");
    return {
      provider,
      protocol: {
        protocol: "oauth2",
        authorizationEndpoint: authorization_endpoint,
        tokenEndpoint: token_endpoint,
        userinfoEndpoint: userinfo_endpoint,
        scopes: scopesFor(provider, [], "oauth2"),
        tokenAuthMethod: "client_secret_basic",
      },
      mapProfile: (raw) => mapWithFieldMapping(raw, mapping),
    };
  }
  const preset = presets[provider.kind];
  if (!preset) throw new AppError("social.failed");
  return {
    provider,
    protocol: {
      ...preset.protocol,
      scopes: scopesFor(provider, preset.protocol.scopes, preset.protocol.protocol),
    },
    mapProfile: preset.mapProfile,
  };
}
