/**
 * Social login (DESIGN section 2, `/login/social/{provider}`): the shapes shared by the provider
 * store, the presets and the upstream OAuth 2.0 / OpenID Connect flow.
 */

/** Providers with built-in endpoints, scopes and profile mapping (lib/social/presets). */
export const PRESET_KINDS = ["google", "github", "facebook", "linkedin", "slack", "yahoo"] as const;
/** Generic providers: `oidc` (issuer + discovery) or `oauth2` (endpoints + field mapping). */
export const GENERIC_KINDS = ["oidc", "oauth2"] as const;
export type PresetKind = (typeof PRESET_KINDS)[number];
export type ProviderKind = PresetKind | (typeof GENERIC_KINDS)[number];

/**
 * Where a generic `oauth2` provider's profile fields are, as dotted paths into the profile JSON
 * (`id`, `data.email`, …). `email_verified` absent: the provider never vouches for the address.
 */
export interface FieldMapping {
  id: string;
  email?: string;
  email_verified?: string;
  first_name?: string;
  last_name?: string;
  name?: string;
}

/** A generic provider's settings (presets carry their own; stored in `social_providers.config`). */
export interface ProviderConfig {
  /** `oidc`: the issuer identifier; discovery at `{issuer}/.well-known/openid-configuration`. */
  issuer?: string;
  /** `oauth2`: the three endpoints. */
  authorization_endpoint?: string;
  token_endpoint?: string;
  userinfo_endpoint?: string;
  /** `oauth2`: where the profile's fields are. */
  mapping?: FieldMapping;
}

/** A realm's provider as the server uses it: never the client secret itself. */
export interface SocialProvider {
  realmId: string;
  id: string;
  slug: string;
  kind: ProviderKind;
  displayName: string;
  clientId: string;
  hasClientSecret: boolean;
  scopes: string[];
  config: ProviderConfig;
  enabled: boolean;
  position: number;
  createdAt: Date;
  updatedAt: Date;
}

/** How to talk to a provider, resolved from its preset or generic settings. */
export interface ProviderProtocol {
  /** `oidc`: discovery from `issuer`, an ID token validated (issuer, audience, nonce, signature). */
  protocol: "oidc" | "oauth2";
  issuer?: string;
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
  userinfoEndpoint?: string;
  /** Scopes asked for (the provider's own list when it has one, else the preset's). */
  scopes: string[];
  tokenAuthMethod: "client_secret_basic" | "client_secret_post";
  /** Extra authorization request parameters (`prompt`, …). */
  authorizationParams?: Record<string, string>;
  /**
   * Further JSON resources fetched with the access token after the userinfo, by name, for the
   * mapping to read (GitHub's `/user/emails`, which holds the verified flag).
   */
  extraResources?: Record<string, string>;
  /**
   * Headers sent with every request to the provider's resources (userinfo and `extraResources`):
   * GitHub's API refuses requests without a `User-Agent`.
   */
  resourceHeaders?: Record<string, string>;
}

/** Everything the upstream said about the account, for a mapping to read. */
export interface RawProfile {
  /** Claims of the validated ID token (OIDC). */
  idToken?: Record<string, unknown>;
  /** The userinfo (or profile) endpoint's JSON. */
  userinfo?: Record<string, unknown>;
  /** The `extraResources`' JSON, by name. */
  extra: Record<string, unknown>;
}

/** What a login learns from an upstream account, whatever the provider. */
export interface UpstreamProfile {
  /** The provider's stable id of the account; never an email address. */
  subject: string;
  /** Lower-cased as asserted; null when the provider shared none. */
  email: string | null;
  /** True only when the provider itself asserts that the address is verified. */
  emailVerified: boolean;
  firstName: string | null;
  lastName: string | null;
}

/** A provider ready for a login: its protocol and its profile mapping. */
export interface ResolvedProvider {
  provider: SocialProvider;
  protocol: ProviderProtocol;
  /** Throws `AppError("social.profile_invalid")` when the profile has no usable subject. */
  mapProfile(raw: RawProfile): UpstreamProfile;
}
