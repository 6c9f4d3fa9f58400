import { apiKeyRef, apiRoute, serializePage, userOut } from "@/lib/api";
import { requestContext } from "@/lib/http/request-context";

export const dynamic = "force-dynamic";

type Params = { realm: string };

export const GET = apiRoute<Params>(async ({ gh, params, realm, page }) => {
  const found = await realm(params.realm);
  return serializePage(await gh.users.list(found.id, page()), userOut);
});

export const POST = apiRoute<Params>(
  async ({ gh, params, realm, json, principal, request }) => {
    const found = await realm(params.realm);
    const user = await gh.users.create(found, await json());
    await gh.events.record({
      realmId: found.id,
      type: "user.created",
      userId: user.id,
      data: { via: "api", key: apiKeyRef(principal) },
      context: requestContext(request.headers),
    });
    return userOut.parse(user);
  },
  { status: 201 },
);
