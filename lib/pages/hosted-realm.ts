import "server-only";
import { cache } from "react";
import { type Realm, realmSlugSchema } from "@/lib/realms";
import { services } from "@/lib/services";

/**
 * The realm a hosted URL (`/{slug}/…`) names, or null. Hosted URLs use the exact slug: an id or a
 * differently-cased slug is not a page address, and `/favicon.ico`, `/wp-login.php` and friends
 * are not slugs at all (no query for them). One lookup per request (React `cache`).
 */
export const findHostedRealm = cache(async (slug: unknown): Promise<Realm | null> => {
  if (typeof slug !== "string" || !realmSlugSchema.safeParse(slug).success) return null;
  const realm = await (await services()).realms.find(slug);
  return realm && realm.slug === slug ? realm : null;
});
