import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as lockRoute from "@/app/api/v1/realms/[realm]/users/[id]/lock/route";
import { tables } from "@/lib/db";
import type { Realm } from "@/lib/realms";
import type { Services } from "@/lib/services";
import { call, type Handler, routesUseTestServices } from "@/test/api";
import { testRealm } from "@/test/db";

const services = routesUseTestServices();
const GET = lockRoute.GET as Handler;
const DELETE = lockRoute.DELETE as Handler;
const PASSWORD = "the-right-password-42";

async function lockedUser() {
  const gh = await services();
  const { realm } = await testRealm(gh, { login_lock_after_failures: 3, login_delay_after_failures: 50 });
  const user = await gh.users.create(realm, { email: "locked@example.com", password: PASSWORD });
  for (let i = 0; i < 3; i++) await tryLogin(gh, realm, "wrong");
  return { gh, realm, user, params: { realm: realm.slug, id: user.id } };
}

async function tryLogin(gh: Services, realm: Realm, password: string) {
  const entry = await gh.flows.entry(realm, {});
  return gh.flows
    .loginWithPassword(
      realm,
      entry,
      { email: "locked@example.com", password },
      { ip: "203.0.113.9", userAgent: "t" },
    )
    .then(() => "ok" as const)
    .catch((error: { code?: string }) => error.code);
}

async function realmKey(gh: Services, realmId: string) {
  const { key, secret } = await gh.apiKeys.createFromInput(realmId, { name: "ops" });
  return { keyId: key.id, auth: `Bearer ${secret}` };
}

describe("GET / DELETE /api/v1/realms/{realm}/users/{id}/lock", () => {
  it("shows a locked address with its failure count, and nothing else", async () => {
    const { params } = await lockedUser();
    const res = await call(GET, { params });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      object: "user_lock",
      user_id: params.id,
      locked: true,
      account: { failures_this_hour: 3, consecutive_failures: 3, delayed_until: null, capped_until: null },
      addresses: [
        { ip: "203.0.113.9", failures_this_hour: 3, locked_until: expect.stringMatching(/^\d{4}-.*Z$/) },
      ],
    });
    expect(Date.parse(res.json.addresses[0].locked_until)).toBeGreaterThan(Date.now());
  });

  it("clears the lock with 204 and an event naming the key; the user can log in again", async () => {
    const { gh, realm, user, params } = await lockedUser();
    expect(await tryLogin(gh, realm, PASSWORD)).toBe("auth.invalid_credentials");
    const { keyId, auth } = await realmKey(gh, realm.id);

    const cleared = await call(DELETE, { method: "DELETE", params, auth });
    expect(cleared).toEqual({ status: 204, json: null });
    expect((await call(GET, { params })).json).toMatchObject({ locked: false, addresses: [] });
    const [event] = await gh.db
      .select()
      .from(tables.events)
      .where(and(eq(tables.events.realmId, realm.id), eq(tables.events.type, "user.lock_cleared")));
    expect(event).toMatchObject({ userId: user.id, data: { via: "api", key: keyId, was_locked: true } });
    expect(await tryLogin(gh, realm, PASSWORD)).toBe("ok");

    const again = await call(DELETE, { method: "DELETE", params });
    expect(again).toEqual({
      status: 404,
      json: { error: { code: "lock.not_found", message: "There is no lock to clear." } },
    });
  });

  it("404 for an unknown user or a realm the key cannot see; 401 without a key; nothing changes", async () => {
    const { gh, params } = await lockedUser();
    const { realm: other } = await testRealm(gh);
    const { auth: otherKey } = await realmKey(gh, other.id);

    const unknown = await call(GET, { params: { ...params, id: "usr_nobody" } });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe("user.not_found");
    for (const handler of [GET, DELETE]) {
      const foreign = await call(handler, {
        method: handler === GET ? "GET" : "DELETE",
        params,
        auth: otherKey,
      });
      expect(foreign.status).toBe(404);
      expect(foreign.json.error.code).toBe("realm.not_found");
      const anonymous = await call(handler, { method: "DELETE", params, auth: null });
      expect(anonymous.status).toBe(401);
    }
    expect((await call(GET, { params })).json.locked).toBe(true);
  });
});
