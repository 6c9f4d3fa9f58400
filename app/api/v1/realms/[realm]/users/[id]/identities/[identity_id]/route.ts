import { apiKeyRef, apiRoute } from "@/lib/api";
import { requestContext } from "@/lib/http/request-context";

export const dynamic = "force-dynamic";

type Params = { realm: string; id: string; identity_id: string };

/**
 * Unlinks an upstream account from the user (204): it no longer logs them in, and a later login
 * with it is treated as a new identity. Unlike the profile page, this may remove the user's last
 * way to log in (an administrator's decision).
 */
export const DELETE = apiRoute<Params>(async ({ gh, params, realm, principal, request }) => {
  const found = await realm(params.realm);
  const user = await gh.users.get(found.id, params.id);
  const linked = await gh.identities.listForUser(found.id, user.id);
  const identity = await gh.identities.unlink(found.id, user.id, params.identity_id);
  await gh.events.record({
    realmId: found.id,
    type: "user.identity_unlinked",
    userId: user.id,
    data: {
      identity: identity.id,
      provider: linked.find((i) => i.id === identity.id)?.providerSlug ?? null,
      how: "admin",
      via: "api",
      key: apiKeyRef(principal),
    },
    context: requestContext(request.headers),
  });
  return new Response(null, { status: 204 });
});
