import "server-only";
import type { Realm } from "@/lib/realms";
import { services } from "@/lib/services";

/** A realm's enabled provider, as a sign-in button needs it (no client id, no secret). */
export interface SocialButton {
  slug: string;
  displayName: string;
}

/** The realm's enabled providers as sign-in buttons, in button order: names only, never the client. */
export async function loadSocialButtons(realm: Pick<Realm, "id">): Promise<SocialButton[]> {
  const gh = await services();
  const providers = await gh.socialProviders.list(realm.id, { enabledOnly: true });
  return providers.map((provider) => ({ slug: provider.slug, displayName: provider.displayName }));
}
