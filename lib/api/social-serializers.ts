import { z } from "zod";
import type { Realm } from "@/lib/realms";
import type { Services } from "@/lib/services";
import type { IdentityView, SocialProvider } from "@/lib/social";
import { socialCallbackUrl } from "@/lib/social/callback-url";

const iso = z.date().transform((d) => d.toISOString());

const mappingOut = z.object({
  id: z.string(),
  email: z.string().optional(),
  email_verified: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  name: z.string().optional(),
});

/**
 * A realm's upstream provider. The client secret is not named here, so it can never be
 * serialised: only whether one is set.
 */
export const providerOut = z
  .object({
    id: z.string(),
    slug: z.string(),
    kind: z.string(),
    displayName: z.string(),
    clientId: z.string(),
    hasClientSecret: z.boolean(),
    scopes: z.array(z.string()),
    config: z.object({
      issuer: z.string().optional(),
      authorization_endpoint: z.string().optional(),
      token_endpoint: z.string().optional(),
      userinfo_endpoint: z.string().optional(),
      mapping: mappingOut.optional(),
    }),
    enabled: z.boolean(),
    position: z.number().int(),
    redirectUri: z.string(),
    createdAt: iso,
    updatedAt: iso,
  })
  .transform((p) => ({
    object: "social_provider" as const,
    id: p.id,
    slug: p.slug,
    kind: p.kind,
    display_name: p.displayName,
    client_id: p.clientId,
    client_secret_set: p.hasClientSecret,
    scopes: p.scopes,
    ...(p.kind === "oidc" ? { issuer: p.config.issuer ?? null } : {}),
    ...(p.kind === "oauth2"
      ? {
          authorization_endpoint: p.config.authorization_endpoint ?? null,
          token_endpoint: p.config.token_endpoint ?? null,
          userinfo_endpoint: p.config.userinfo_endpoint ?? null,
          mapping: p.config.mapping ?? null,
        }
      : {}),
    enabled: p.enabled,
    position: p.position,
    redirect_uri: p.redirectUri,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  }));

/** One provider as the API shows it, with the callback URL to register upstream. */
export function serializeProvider(
  gh: Pick<Services, "realmUrl">,
  realm: Pick<Realm, "slug">,
  p: SocialProvider,
) {
  return providerOut.parse({ ...p, redirectUri: socialCallbackUrl(gh.realmUrl(realm), p.slug) });
}

/** An upstream account linked to a user: which provider, its subject, what it said about the address. */
export const identityOut = z
  .object({
    id: z.string(),
    userId: z.string(),
    providerId: z.string(),
    providerSlug: z.string(),
    providerName: z.string(),
    subject: z.string(),
    email: z.string().nullable(),
    emailVerified: z.boolean(),
    createdAt: iso,
    lastLoginAt: z.date().nullable(),
  })
  .transform((i) => ({
    object: "user_identity" as const,
    id: i.id,
    user_id: i.userId,
    provider: { id: i.providerId, slug: i.providerSlug, display_name: i.providerName },
    subject: i.subject,
    email: i.email,
    email_verified: i.emailVerified,
    created_at: i.createdAt,
    last_login_at: i.lastLoginAt?.toISOString() ?? null,
  }));

export function serializeIdentities(identities: IdentityView[]) {
  return { object: "list" as const, data: identities.map((i) => identityOut.parse(i)) };
}
