import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as sessionRoute from "@/app/api/v1/realms/[realm]/users/[id]/sessions/[sid]/route";
import * as sessionsRoute from "@/app/api/v1/realms/[realm]/users/[id]/sessions/route";
import { tables } from "@/lib/db";
import type { Services } from "@/lib/services";
import { ADMIN, call, type Handler, routesUseTestServices } from "@/test/api";
import { completed, testRealm } from "@/test/db";

const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const password = "a-long-enough-password";

/** One bodiless API request (GET or DELETE) straight into a route handler. */
function send(handler: unknown, method: string, params: Record<string, string>, auth = ADMIN) {
  return call(handler as Handler, { method, params, auth, headers: { "x-forwarded-for": "192.0.2.50" } });
}

const services = routesUseTestServices();
let gh: Services;
beforeAll(async () => {
  gh = await services();
});

async function userWithSessions(count: number) {
  const { realm } = await testRealm(gh);
  const user = await gh.users.create(realm, { email: "api-sessions@example.com", password });
  const entry = await gh.flows.entry(realm, {});
  const logins = [];
  for (let i = 0; i < count; i++) {
    logins.push(
      await gh.flows
        .loginWithPassword(
          realm,
          entry,
          { email: "api-sessions@example.com", password },
          { ip: `203.0.113.${i + 1}`, userAgent: FIREFOX },
        )
        .then(completed),
    );
  }
  return { realm, user, logins };
}

describe("sessions API", () => {
  it("lists a user's live sessions with device, IP and times, never the token hash", async () => {
    const { realm, user, logins } = await userWithSessions(2);
    const res = await send(sessionsRoute.GET, "GET", { realm: realm.slug, id: user.id });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ object: "list", has_more: false, next_after: null });
    expect(res.json.data).toHaveLength(2);
    expect(res.json.data.map((s: { id: string }) => s.id).sort()).toEqual(
      logins.map((l) => l.session.id).sort(),
    );
    expect(res.json.data[0]).toEqual({
      object: "session",
      id: expect.stringMatching(/^ses_/),
      realm_id: realm.id,
      user_id: user.id,
      created_at: expect.any(String),
      last_seen_at: expect.any(String),
      expires_at: expect.any(String),
      ip: expect.stringMatching(/^203\.0\.113\./),
      user_agent: FIREFOX,
      device: { browser: "Firefox", os: "Linux", label: "Firefox on Linux" },
      amr: ["pwd"],
    });
    const body = JSON.stringify(res.json);
    expect(body).not.toMatch(/token_hash|tokenHash/);
    const [row] = await gh.db
      .select()
      .from(tables.sessions)
      .where(eq(tables.sessions.realmId, realm.id))
      .limit(1);
    expect(body).not.toContain(row?.tokenHash);
  });

  it("ends one session (204, event), then 404 for it again, for another user's and for nonsense", async () => {
    const { realm, user, logins } = await userWithSessions(2);
    const [first, second] = logins;
    if (!first || !second) throw new Error("setup");
    const other = await gh.users.create(realm, { email: "else@example.com", password });
    const theirs = await gh.flows
      .loginWithPassword(
        realm,
        await gh.flows.entry(realm, {}),
        { email: "else@example.com", password },
        { ip: null, userAgent: null },
      )
      .then(completed);

    const ended = await send(sessionRoute.DELETE, "DELETE", {
      realm: realm.slug,
      id: user.id,
      sid: first.session.id,
    });
    expect(ended.status).toBe(204);
    expect(await gh.sessions.findLive(realm.id, first.sessionSecret)).toBeNull();
    expect(await gh.sessions.findLive(realm.id, second.sessionSecret)).toBeTruthy();

    for (const sid of [first.session.id, theirs.session.id, "ses_nope", "x".repeat(500)]) {
      const res = await send(sessionRoute.DELETE, "DELETE", { realm: realm.slug, id: user.id, sid });
      expect(res.status).toBe(404);
      expect(res.json.error.code).toBe("session.not_found");
    }
    expect((await gh.sessions.findLive(realm.id, theirs.sessionSecret))?.userId).toBe(other.id);

    const events = await gh.db
      .select()
      .from(tables.events)
      .where(and(eq(tables.events.realmId, realm.id), eq(tables.events.type, "session.ended")));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      sessionId: first.session.id,
      userId: user.id,
      data: { via: "api", key: "installation", reason: "ended" },
    });
  });

  it("ends all of a user's sessions and says how many", async () => {
    const { realm, user, logins } = await userWithSessions(3);
    const res = await send(sessionsRoute.DELETE, "DELETE", { realm: realm.id, id: user.id });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ended: 3 });
    for (const login of logins) expect(await gh.sessions.findLive(realm.id, login.sessionSecret)).toBeNull();
    const list = await send(sessionsRoute.GET, "GET", { realm: realm.slug, id: user.id });
    expect(list.json.data).toEqual([]);
    expect((await send(sessionsRoute.DELETE, "DELETE", { realm: realm.id, id: user.id })).json).toEqual({
      ended: 0,
    });
  });

  it("404 for an unknown user or realm, 401 without a key; a realm key sees only its realm", async () => {
    const { realm, user, logins } = await userWithSessions(1);
    const unknownUser = await send(sessionsRoute.GET, "GET", { realm: realm.slug, id: "usr_nope" });
    expect(unknownUser.status).toBe(404);
    expect(unknownUser.json.error.code).toBe("user.not_found");
    const unknownRealm = await send(sessionsRoute.DELETE, "DELETE", { realm: "no-such-realm", id: user.id });
    expect(unknownRealm.status).toBe(404);
    const noKey = await send(sessionsRoute.DELETE, "DELETE", { realm: realm.slug, id: user.id }, "");
    expect(noKey.status).toBe(401);

    const elsewhere = await testRealm(gh);
    const { secret: key } = await gh.apiKeys.create(elsewhere.realm.id, "other realm");
    const foreign = await send(
      sessionsRoute.DELETE,
      "DELETE",
      { realm: realm.slug, id: user.id },
      `Bearer ${key}`,
    );
    expect(foreign.status).toBe(404);
    expect(foreign.json.error.code).toBe("realm.not_found");
    // The user of another realm is not found through this realm's path either.
    const crossed = await send(sessionsRoute.GET, "GET", { realm: elsewhere.realm.slug, id: user.id });
    expect(crossed.status).toBe(404);
    expect(await gh.sessions.findLive(realm.id, logins[0]?.sessionSecret)).toBeTruthy();
  });
});
