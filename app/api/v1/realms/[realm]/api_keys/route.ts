import { apiKeyOut, apiRoute, requireInstallationKey, serializePage } from "@/lib/api";

export const dynamic = "force-dynamic";

type Params = { realm: string };

/** Realm-scoped keys are made with the installation key; a realm key cannot mint more keys. */
export const GET = apiRoute<Params>(async ({ gh, params, realm, page, principal }) => {
  requireInstallationKey(principal);
  const found = await realm(params.realm);
  return serializePage(await gh.apiKeys.list(found.id, page()), apiKeyOut);
});

export const POST = apiRoute<Params>(
  async ({ gh, params, realm, json, principal }) => {
    requireInstallationKey(principal);
    const found = await realm(params.realm);
    const { key, secret } = await gh.apiKeys.createFromInput(found.id, await json());
    // The secret appears in this response only; Gatehouse keeps just its SHA-256.
    return { ...apiKeyOut.parse(key), key: secret };
  },
  { status: 201 },
);
