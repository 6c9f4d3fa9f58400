import { apiActor, apiRoute } from "@/lib/api";
import { AppError } from "@/lib/errors";

export const dynamic = "force-dynamic";

type Params = { realm: string; id: string; sid: string };

/** Ends one session of the user; 404 when the user has no such session. */
export const DELETE = apiRoute<Params>(async ({ gh, params, realm, principal, request }) => {
  const found = await realm(params.realm);
  const user = await gh.users.get(found.id, params.id);
  const ended = await gh.account.endSession(found.id, user.id, params.sid, apiActor(principal, request));
  if (!ended) throw new AppError("session.not_found");
  return new Response(null, { status: 204 });
});
