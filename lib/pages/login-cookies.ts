import "server-only";
import { cookies } from "next/headers";
import type { LoginOutcome } from "@/lib/flows";
import { deviceCookie, flowCookie, sessionCookie } from "@/lib/http/cookies";
import type { Realm } from "@/lib/realms";
import { services } from "@/lib/services";

/**
 * Forgets the browser's login flow (the row went with a voided flow): the cookie is overwritten with
 * the attributes it was set with (a bare delete drops `Secure`, which `__Host-` cookies need).
 */
export async function clearFlowCookie(realm: Realm, publicUrl: string): Promise<void> {
  const jar = await cookies();
  const flow = flowCookie(realm.id, publicUrl);
  if (jar.has(flow.name)) jar.set(flow.name, "", { ...flow.options, maxAge: 0 });
}

/**
 * Puts the outcome of a login into the browser: the new session cookie and the (renewed) device
 * cookie when it finished (and the spent flow cookie gone), or the flow cookie when a step is
 * pending. Returns where to go next.
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
  const device = deviceCookie(realm.id, publicUrl);
  jar.set(device.name, outcome.deviceSecret, device.options);
  if (jar.has(flow.name)) {
    // A login that finished leaves no step behind: not the row, not the cookie. The cookie is
    // overwritten with the attributes it was set with (a bare delete drops `Secure`, and browsers
    // refuse a `__Host-` cookie without it).
    await (await services()).pendingFlows.discard(realm.id, jar.get(flow.name)?.value);
    jar.set(flow.name, "", { ...flow.options, maxAge: 0 });
  }
  return outcome.redirectUrl;
}
