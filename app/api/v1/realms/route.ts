import { apiRoute, realmOut, requireInstallationKey, serializePage } from "@/lib/api";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async ({ gh, principal, page }) => {
  requireInstallationKey(principal);
  const result = await gh.realms.list(page());
  return serializePage(
    { ...result, data: result.data.map((r) => ({ ...r, url: gh.realmUrl(r) })) },
    realmOut,
  );
});

export const POST = apiRoute(
  async ({ gh, principal, json }) => {
    requireInstallationKey(principal);
    const realm = await gh.realms.create(await json());
    return realmOut.parse({ ...realm, url: gh.realmUrl(realm) });
  },
  { status: 201 },
);
