import { apiKeyRef, apiRoute, serializeProvider } from "@/lib/api";
import { requestContext } from "@/lib/http/request-context";
import { parseProviderCreate, upstreamInputOptions } from "@/lib/social/provider-input";

export const dynamic = "force-dynamic";

type Params = { realm: string };

/** The realm's social-login providers in button order (`position`, then creation). */
export const GET = apiRoute<Params>(async ({ gh, params, realm }) => {
  const found = await realm(params.realm);
  const providers = await gh.socialProviders.list(found.id);
  return { object: "list", data: providers.map((p) => serializeProvider(gh, found, p)) };
});

/** Adds a provider: a preset (`kind: "github"`, …) or a generic `oidc` / `oauth2` one. */
export const POST = apiRoute<Params>(
  async ({ gh, params, realm, json, principal, request }) => {
    const found = await realm(params.realm);
    const fields = parseProviderCreate(await json(), upstreamInputOptions());
    const provider = await gh.socialProviders.create(found.id, fields);
    await gh.events.record({
      realmId: found.id,
      type: "provider.created",
      data: {
        provider: provider.id,
        slug: provider.slug,
        kind: provider.kind,
        via: "api",
        key: apiKeyRef(principal),
      },
      context: requestContext(request.headers),
    });
    return serializeProvider(gh, found, provider);
  },
  { status: 201 },
);
