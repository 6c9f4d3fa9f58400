import "server-only";
import { cookies } from "next/headers";
import type { LoginOutcome } from "@/lib/flows";
import { flowCookie, sessionCookie } from "@/lib/http/cookies";
import type { Realm } from "@/lib/realms";

/**
 * Puts the outcome of a login into the browser: the new session cookie when it finished (and the
 * spent flow cookie gone), or the flow cookie when a step is pending. Returns where to go next.
 */
export async function applyLoginOutcome(realm: Realm, publicUrl: string, outcome: LoginOutcome) {
  const jar = await cookies();
  const flow = flowCookie(realm.id, publicUrl);
  if (outcome.kind === "step") {
    jar.set(flow.name, outcome.flowSecret, { ...flow.options, expires: outcome.flowExpiresAt });
    return outcome.redirectUrl;
  }
  const session = sessionCookie(realm.id, publicUrl);
  jar.set(session.name, outcome.sessionSecret, { ...session.options, expires: outcome.session.expiresAt });
  if (jar.has(flow.name)) jar.delete({ name: flow.name, path: flow.options.path });
  return outcome.redirectUrl;
}
