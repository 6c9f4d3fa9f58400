import { apiKeyRef, apiRoute } from "@/lib/api";
import { requestContext } from "@/lib/http/request-context";

export const dynamic = "force-dynamic";

type Params = { realm: string; id: string };

/** Revokes an invitation: its link stops working at once. */
export const DELETE = apiRoute<Params>(async ({ gh, params, realm, principal, request }) => {
  const found = await realm(params.realm);
  await gh.invitations.revoke(found.id, params.id);
  await gh.events.record({
    realmId: found.id,
    type: "invitation.revoked",
    data: {
      invitation: params.id,
      via: "api",
      key: apiKeyRef(principal),
    },
    context: requestContext(request.headers),
  });
  return new Response(null, { status: 204 });
});
