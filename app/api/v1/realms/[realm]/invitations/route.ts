import { apiKeyRef, apiRoute, invitationOut, serializePage } from "@/lib/api";
import { requestContext } from "@/lib/http/request-context";

export const dynamic = "force-dynamic";

type Params = { realm: string };

export const GET = apiRoute<Params>(async ({ gh, params, realm, page }) => {
  const found = await realm(params.realm);
  return serializePage(await gh.invitations.list(found.id, page()), invitationOut);
});

export const POST = apiRoute<Params>(
  async ({ gh, params, realm, json, principal, request }) => {
    const found = await realm(params.realm);
    const { invitation, url } = await gh.invitations.create(found, await json());
    await gh.events.record({
      realmId: found.id,
      type: "invitation.created",
      data: {
        invitation: invitation.id,
        via: "api",
        key: apiKeyRef(principal),
      },
      context: requestContext(request.headers),
    });
    // The link carries the secret: it appears in this response only; Gatehouse keeps its SHA-256.
    return { ...invitationOut.parse(invitation), url };
  },
  { status: 201 },
);
