import { apiRoute, realmOut } from "@/lib/api";

export const dynamic = "force-dynamic";

type Params = { realm: string };

export const GET = apiRoute<Params>(async ({ gh, params, realm }) => {
  const found = await realm(params.realm);
  return realmOut.parse({ ...found, url: gh.realmUrl(found) });
});

export const PATCH = apiRoute<Params>(async ({ gh, params, realm, json }) => {
  const found = await realm(params.realm);
  const updated = await gh.realms.update(found.id, await json());
  return realmOut.parse({ ...updated, url: gh.realmUrl(updated) });
});
