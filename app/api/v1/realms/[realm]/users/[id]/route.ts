import { apiRoute, userOut } from "@/lib/api";

export const dynamic = "force-dynamic";

type Params = { realm: string; id: string };

export const GET = apiRoute<Params>(async ({ gh, params, realm }) => {
  const found = await realm(params.realm);
  return userOut.parse(await gh.users.get(found.id, params.id));
});

export const DELETE = apiRoute<Params>(async ({ gh, params, realm, principal }) => {
  const found = await realm(params.realm);
  await gh.users.delete(found.id, params.id);
  await gh.events.record({
    realmId: found.id,
    type: "user.deleted",
    userId: params.id,
    data: { via: "api", key: principal.kind === "realm" ? principal.keyId : "installation" },
  });
  return new Response(null, { status: 204 });
});
