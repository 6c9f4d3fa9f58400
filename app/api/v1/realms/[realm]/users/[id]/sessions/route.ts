import { apiActor, apiRoute, sessionOut } from "@/lib/api";

export const dynamic = "force-dynamic";

type Params = { realm: string; id: string };

/** The user's live sessions, most recently used first (at most the realm's cap, so one page). */
export const GET = apiRoute<Params>(async ({ gh, params, realm }) => {
  const found = await realm(params.realm);
  const user = await gh.users.get(found.id, params.id);
  const sessions = await gh.sessions.listLive(found.id, user.id);
  return {
    object: "list",
    data: sessions.map((s) => sessionOut.parse(s)),
    has_more: false,
    next_after: null,
  };
});

/** Ends every session of the user: `{ "ended": n }`. */
export const DELETE = apiRoute<Params>(async ({ gh, params, realm, principal, request }) => {
  const found = await realm(params.realm);
  const user = await gh.users.get(found.id, params.id);
  return { ended: await gh.account.endSessions(found.id, user.id, null, apiActor(principal, request)) };
});
