import { apiKeyRef, apiRoute, userMfaOut } from "@/lib/api";
import { requestContext } from "@/lib/http/request-context";

export const dynamic = "force-dynamic";

type Params = { realm: string; id: string };

/** Whether the user has two-step verification, since when, and how many recovery codes are left. */
export const GET = apiRoute<Params>(async ({ gh, params, realm }) => {
  const found = await realm(params.realm);
  return userMfaOut.parse(await gh.account.mfaStatusOf(found.id, params.id));
});

/**
 * Resets the user's 2FA (lost device): the app and the recovery codes go, every session of the user
 * ends, the user gets an email. 204; 404 `mfa.not_enabled` when it was not on.
 */
export const DELETE = apiRoute<Params>(async ({ gh, params, realm, principal, request }) => {
  const found = await realm(params.realm);
  await gh.account.resetMfa(found, params.id, {
    via: "api",
    key: apiKeyRef(principal),
    context: requestContext(request.headers),
  });
  return new Response(null, { status: 204 });
});
