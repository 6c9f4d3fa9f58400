import { isAppError } from "@/lib/errors";
import type { Services } from "@/lib/services";

export interface DemoSeed {
  realmSlug: string;
  appId: string;
  email: string;
  password: string;
  demoAppUrl: string;
}

export const DEMO_USER = {
  email: "demo@example.com",
  password: "harbor-lantern-2718",
  first_name: "Dana",
  last_name: "Demo",
};

/**
 * Realm `demo`, app "Demo App" returning to the demo app, and one user. Idempotent: running it
 * again changes nothing but makes sure the demo app's current address is registered.
 */
export async function seedDemo(gh: Services, demoAppUrl: string): Promise<DemoSeed> {
  const realm =
    (await gh.realms.find("demo")) ??
    (await gh.realms.create({ slug: "demo", name: "Demo Realm", settings: { bcrypt_cost: 10 } }));
  const wanted = [`${demoAppUrl}/callback`, `${demoAppUrl}/`];
  const apps = await gh.apps.list(realm.id, { limit: 100 });
  let app = apps.data.find((a) => a.name === "Demo App");
  if (!app) {
    app = await gh.apps.create(realm.id, { name: "Demo App", redirect_uris: wanted });
  } else if (!wanted.every((uri) => app?.redirectUris.includes(uri))) {
    app = await gh.apps.update(realm.id, app.id, {
      redirect_uris: [...new Set([...wanted, ...app.redirectUris])],
    });
  }
  try {
    await gh.users.create(realm, { ...DEMO_USER, email_verified: true });
  } catch (error) {
    if (!(isAppError(error) && error.code === "user.email_taken")) throw error;
  }
  return {
    realmSlug: realm.slug,
    appId: app.id,
    email: DEMO_USER.email,
    password: DEMO_USER.password,
    demoAppUrl,
  };
}
