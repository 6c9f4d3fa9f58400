import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as mfaRoute from "@/app/api/v1/realms/[realm]/users/[id]/mfa/route";
import * as userRoute from "@/app/api/v1/realms/[realm]/users/[id]/route";
import { tables } from "@/lib/db";
import { totpCode } from "@/lib/mfa";
import type { Services } from "@/lib/services";
import { call, type Handler, routesUseTestServices } from "@/test/api";
import { completed, testRealm } from "@/test/db";

const services = routesUseTestServices();
const GET = mfaRoute.GET as Handler;
const DELETE = mfaRoute.DELETE as Handler;
const GET_USER = userRoute.GET as Handler;
const PASSWORD = "the-right-password-42";
const ctx = { ip: "203.0.113.20", userAgent: "vitest" };

/** A user with 2FA on (enrolled through the service), logged in once. */
async function withMfa(gh: Services) {
  const { realm } = await testRealm(gh);
  const user = await gh.users.create(realm, { email: "two@example.com", password: PASSWORD });
  // Logged in before the app is set up (afterwards a login would stop at the code step).
  const entry = await gh.flows.entry(realm, {});
  const login = completed(
    await gh.flows.loginWithPassword(realm, entry, { email: user.email, password: PASSWORD }, ctx),
  );
  const { secret } = await gh.mfa.beginEnrolment(
    realm.id,
    user.id,
    {
      issuer: realm.name,
      account: user.email,
    },
    "test",
  );
  await gh.mfa.confirmEnrolment(realm.id, user.id, totpCode(secret, new Date()), "test");
  return { realm, user, login, params: { realm: realm.slug, id: user.id } };
}

async function realmKey(gh: Services, realmId: string) {
  const { key, secret } = await gh.apiKeys.createFromInput(realmId, { name: "support" });
  return { keyId: key.id, auth: `Bearer ${secret}` };
}

describe("GET / DELETE /api/v1/realms/{realm}/users/{id}/mfa", () => {
  it("shows whether the user has 2FA, since when and the recovery codes left; the user detail says it too", async () => {
    const gh = await services();
    const { realm, user, params } = await withMfa(gh);
    const [spent] = await gh.mfa.regenerateRecoveryCodes(realm.id, user.id);
    expect(await gh.mfa.useRecoveryCode(realm.id, user.id, spent)).toBe(true);
    const res = await call(GET, { params });
    expect(res).toEqual({
      status: 200,
      json: {
        object: "user_mfa",
        user_id: user.id,
        enabled: true,
        methods: ["totp"],
        confirmed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
        recovery_codes_left: 9,
      },
    });
    expect((await call(GET_USER, { params })).json.mfa).toEqual({ enabled: true });

    const plain = await gh.users.create(realm, { email: "plain@example.com" });
    const none = await call(GET, { params: { ...params, id: plain.id } });
    expect(none.json).toEqual({
      object: "user_mfa",
      user_id: plain.id,
      enabled: false,
      methods: [],
      confirmed_at: null,
      recovery_codes_left: 0,
    });
    expect((await call(GET_USER, { params: { ...params, id: plain.id } })).json.mfa).toEqual({
      enabled: false,
    });
  });

  it("resets it with 204: sessions end, an event names the key, the user is emailed; then 404 mfa.not_enabled", async () => {
    const gh = await services();
    const { realm, user, login, params } = await withMfa(gh);
    const { keyId, auth } = await realmKey(gh, realm.id);

    const reset = await call(DELETE, { method: "DELETE", params, auth });
    expect(reset).toEqual({ status: 204, json: null });
    expect((await call(GET, { params })).json).toMatchObject({ enabled: false, recovery_codes_left: 0 });
    expect(await gh.sessions.findLive(realm.id, login.sessionSecret)).toBeNull();
    const [event] = await gh.db
      .select()
      .from(tables.events)
      .where(and(eq(tables.events.realmId, realm.id), eq(tables.events.type, "user.mfa_reset")));
    expect(event).toMatchObject({
      userId: user.id,
      data: { via: "api", key: keyId, ended_sessions: 1, email_sent: true },
    });
    const mails = await gh.db
      .select()
      .from(tables.emailOutbox)
      .where(and(eq(tables.emailOutbox.realmId, realm.id), eq(tables.emailOutbox.template, "mfa_reset")));
    expect(mails.map((m) => m.toAddress)).toEqual([user.email]);

    const again = await call(DELETE, { method: "DELETE", params });
    expect(again).toEqual({
      status: 404,
      json: {
        error: { code: "mfa.not_enabled", message: "Two-step verification is not on for this account." },
      },
    });
  });

  it("404 for an unknown user or a realm the key cannot see; 401 without a key; nothing changes", async () => {
    const gh = await services();
    const { params } = await withMfa(gh);
    const { realm: other } = await testRealm(gh);
    const { auth: otherKey } = await realmKey(gh, other.id);

    for (const handler of [GET, DELETE]) {
      const method = handler === GET ? "GET" : "DELETE";
      const unknown = await call(handler, { method, params: { ...params, id: "usr_nobody" } });
      expect(unknown.status).toBe(404);
      expect(unknown.json.error.code).toBe("user.not_found");
      const foreign = await call(handler, { method, params, auth: otherKey });
      expect(foreign.status).toBe(404);
      expect(foreign.json.error.code).toBe("realm.not_found");
      // The other realm's key names this user under its own realm: still nobody there.
      const crossed = await call(handler, {
        method,
        params: { ...params, realm: other.slug },
        auth: otherKey,
      });
      expect(crossed.status).toBe(404);
      expect(crossed.json.error.code).toBe("user.not_found");
      const anonymous = await call(handler, { method, params, auth: null });
      expect(anonymous.status).toBe(401);
    }
    expect((await call(GET, { params })).json.enabled).toBe(true);
  });
});
