import { ADMIN_KEY } from "./portal";

export const CALLBACK = "https://app.example/callback";
export const PASSWORD = "harbor-lantern-2718-quiet";

/** The management API of one instance, as an outside client calls it. */
export function adminApi(base: string) {
  async function call(method: string, path: string, body?: unknown) {
    const res = await fetch(new URL(path, base), {
      method,
      headers: {
        authorization: `Bearer ${ADMIN_KEY}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  }

  async function ok(method: string, path: string, body?: unknown) {
    const res = await call(method, path, body);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.json)}`);
    return res.json;
  }

  let counter = 0;
  return {
    call,
    ok,
    /** A realm with one app; bcrypt cost 4 (a test realm: the hash is not what is under test). */
    async realm(settings: Record<string, unknown> = {}) {
      const slug = `rel${Date.now().toString(36)}${(counter++).toString(36)}`;
      const realm = await ok("POST", "/api/v1/realms", {
        slug,
        name: `Reliability ${slug}`,
        settings: { bcrypt_cost: 4, ...settings },
      });
      const app = await ok("POST", `/api/v1/realms/${slug}/apps`, { name: "App", redirect_uris: [CALLBACK] });
      const query = `client_id=${app.id}&redirect_uri=${encodeURIComponent(CALLBACK)}`;
      return { slug, id: realm.id as string, appId: app.id as string, loginPath: `/${slug}/login?${query}` };
    },
    async user(slug: string, email: string, password = PASSWORD): Promise<string> {
      return (await ok("POST", `/api/v1/realms/${slug}/users`, { email, password })).id;
    },
    async liveSessionIds(slug: string, userId: string): Promise<string[]> {
      const list = await ok("GET", `/api/v1/realms/${slug}/users/${userId}/sessions`);
      return list.data.map((s: { id: string }) => s.id);
    },
  };
}

export type AdminApi = ReturnType<typeof adminApi>;
