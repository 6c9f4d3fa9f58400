import { apiRoute, appOut, serializePage } from "@/lib/api";

export const dynamic = "force-dynamic";

type Params = { realm: string };

export const GET = apiRoute<Params>(async ({ gh, params, realm, page }) => {
  const found = await realm(params.realm);
  return serializePage(await gh.apps.list(found.id, page()), appOut);
});

export const POST = apiRoute<Params>(
  async ({ gh, params, realm, json }) => {
    const found = await realm(params.realm);
    return appOut.parse(await gh.apps.create(found.id, await json()));
  },
  { status: 201 },
);
