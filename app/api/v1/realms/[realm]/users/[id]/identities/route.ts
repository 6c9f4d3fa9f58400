import { apiRoute, serializeIdentities } from "@/lib/api";

export const dynamic = "force-dynamic";

type Params = { realm: string; id: string };

/** The upstream accounts (social login) linked to the user, in provider order. */
export const GET = apiRoute<Params>(async ({ gh, params, realm }) => {
  const found = await realm(params.realm);
  const user = await gh.users.get(found.id, params.id);
  return serializeIdentities(await gh.identities.listForUser(found.id, user.id));
});
