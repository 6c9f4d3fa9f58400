import { apiKeyRef, apiRoute, userDetail } from "@/lib/api";

export const dynamic = "force-dynamic";

type Params = { realm: string; id: string };

export const GET = apiRoute<Params>(async ({ gh, params, realm }) => {
  const found = await realm(params.realm);
  return userDetail(gh, found.id, await gh.users.get(found.id, params.id));
});

export const PATCH = apiRoute<Params>(async ({ gh, params, realm, json, principal }) => {
  const found = await realm(params.realm);
  const body = await json();
  const user = await gh.users.update(found, params.id, body);
  await gh.events.record({
    realmId: found.id,
    type: "user.updated",
    userId: user.id,
    data: {
      via: "api",
      key: apiKeyRef(principal),
      fields: Object.keys(body as object),
    },
  });
  return userDetail(gh, found.id, user);
});

export const DELETE = apiRoute<Params>(async ({ gh, params, realm, principal }) => {
  const found = await realm(params.realm);
  await gh.users.delete(found.id, params.id);
  await gh.events.record({
    realmId: found.id,
    type: "user.deleted",
    userId: params.id,
    data: { via: "api", key: apiKeyRef(principal) },
  });
  return new Response(null, { status: 204 });
});
