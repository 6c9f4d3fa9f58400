import { apiKeyRef, apiRoute, userLockOut } from "@/lib/api";

export const dynamic = "force-dynamic";

type Params = { realm: string; id: string };

/** Whether the user's logins are being refused (delay, hourly cap, address locks), and the failure counts. */
export const GET = apiRoute<Params>(async ({ gh, params, realm }) => {
  const found = await realm(params.realm);
  return userLockOut.parse(await gh.userLocks.status(found.id, params.id));
});

/** Clears the user's delay, cap and address locks; 404 `lock.not_found` when there is nothing to clear. */
export const DELETE = apiRoute<Params>(async ({ gh, params, realm, principal }) => {
  const found = await realm(params.realm);
  await gh.userLocks.clear(found.id, params.id, {
    via: "api",
    key: apiKeyRef(principal),
  });
  return new Response(null, { status: 204 });
});
