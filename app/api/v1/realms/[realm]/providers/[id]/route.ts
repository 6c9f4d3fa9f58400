import { apiKeyRef, apiRoute, serializeProvider } from "@/lib/api";
import { AppError } from "@/lib/errors";
import { requestContext } from "@/lib/http/request-context";
import {
  identityDefiningChanges,
  parseProviderPatch,
  providerOrNotFound,
  upstreamInputOptions,
} from "@/lib/social/provider-input";

export const dynamic = "force-dynamic";

type Params = { realm: string; id: string };

export const GET = apiRoute<Params>(async ({ gh, params, realm }) => {
  const found = await realm(params.realm);
  return serializeProvider(gh, found, providerOrNotFound(await gh.socialProviders.find(found.id, params.id)));
});

/** Changes the given fields; the client secret stays unless `client_secret` is given (`null` removes it). */
export const PATCH = apiRoute<Params>(async ({ gh, params, realm, json, principal, request }) => {
  const found = await realm(params.realm);
  const existing = providerOrNotFound(await gh.socialProviders.find(found.id, params.id));
  const body = await json();
  const fields = parseProviderPatch(existing, body, upstreamInputOptions());
  const changed = identityDefiningChanges(existing, fields);
  if (changed.length > 0 && (await gh.identities.countForProvider(found.id, existing.id)) > 0)
    throw new AppError("social.provider_in_use", {
      fields: changed.map((field) => ({ field, code: "social.provider_in_use" })),
    });
  const provider = await gh.socialProviders.update(found.id, existing.id, fields);
  await gh.events.record({
    realmId: found.id,
    type: "provider.updated",
    data: {
      provider: provider.id,
      slug: provider.slug,
      // The names of the changed settings, never their values (one of them can be the secret).
      fields: Object.keys(body as object),
      via: "api",
      key: apiKeyRef(principal),
    },
    context: requestContext(request.headers),
  });
  return serializeProvider(gh, found, provider);
});

/**
 * Deletes the provider and every identity linked through it: its users can no longer log in
 * with it (those without a password or another identity then need a password reset). Returns
 * the deleted provider.
 */
export const DELETE = apiRoute<Params>(async ({ gh, params, realm, principal, request }) => {
  const found = await realm(params.realm);
  const existing = providerOrNotFound(await gh.socialProviders.find(found.id, params.id));
  const identities = await gh.identities.countForProvider(found.id, existing.id);
  const provider = await gh.socialProviders.remove(found.id, existing.id);
  await gh.events.record({
    realmId: found.id,
    type: "provider.deleted",
    data: {
      provider: provider.id,
      slug: provider.slug,
      kind: provider.kind,
      identities_removed: identities,
      via: "api",
      key: apiKeyRef(principal),
    },
    context: requestContext(request.headers),
  });
  return { ...serializeProvider(gh, found, provider), deleted: true, identities_removed: identities };
});
