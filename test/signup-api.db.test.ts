import { describe, expect, it } from "vitest";
import * as invitationRoute from "@/app/api/v1/realms/[realm]/invitations/[id]/route";
import * as invitationsRoute from "@/app/api/v1/realms/[realm]/invitations/route";
import * as userRoute from "@/app/api/v1/realms/[realm]/users/[id]/route";
import * as usersRoute from "@/app/api/v1/realms/[realm]/users/route";
import { call, type Handler, routesUseTestServices } from "@/test/api";
import { TEST_PUBLIC_URL, testRealm } from "@/test/db";

const services = routesUseTestServices();

describe("management API: usernames", () => {
  it("accepts, normalises and returns username in separate mode; 409 for a taken one; lists include it", async () => {
    const gh = await services();
    const { realm } = await testRealm(gh, { username_mode: "separate" });
    const params = { realm: realm.slug };
    const created = await call(usersRoute.POST as Handler, {
      method: "POST",
      params,
      body: { email: "ada@example.com", username: "Ada.Lovelace", password: "violet-tractor-harbor-58" },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      object: "user",
      email: "ada@example.com",
      username: "ada.lovelace",
    });

    const taken = await call(usersRoute.POST as Handler, {
      method: "POST",
      params,
      body: { email: "other@example.com", username: "ＡＤＡ.lovelace" },
    });
    expect(taken.status).toBe(409);
    expect(taken.json.error).toMatchObject({
      code: "user.username_taken",
      fields: [{ field: "username", code: "user.username_taken", message: "This username is taken." }],
    });

    const invalid = await call(usersRoute.POST as Handler, {
      method: "POST",
      params,
      body: { email: "x@example.com", username: "x@example.com" },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.json.error.fields).toEqual([
      { field: "username", code: "username.invalid", message: expect.stringContaining("2–64") },
    ]);

    const list = await call(usersRoute.GET as Handler, { params });
    expect(list.json.data.map((u: { username: string | null }) => u.username)).toEqual(["ada.lovelace"]);
    const one = await call(userRoute.GET as Handler, { params: { ...params, id: created.json.id } });
    expect(one.json.username).toBe("ada.lovelace");
  });

  it("in email mode returns username null and refuses one with a clear field error", async () => {
    const gh = await services();
    const { realm } = await testRealm(gh);
    const params = { realm: realm.slug };
    const created = await call(usersRoute.POST as Handler, {
      method: "POST",
      params,
      body: { email: "plain@example.com" },
    });
    expect(created.json.username).toBeNull();
    const refused = await call(usersRoute.POST as Handler, {
      method: "POST",
      params,
      body: { email: "named@example.com", username: "named" },
    });
    expect(refused.status).toBe(422);
    expect(refused.json.error.fields).toEqual([
      { field: "username", code: "username.disabled", message: expect.stringContaining("email address") },
    ]);
    expect((await call(usersRoute.GET as Handler, { params })).json.data).toHaveLength(1);
  });
});

describe("management API: invitations", () => {
  it("creates (201, link shown once), lists without secrets, revokes (204, then 404)", async () => {
    const gh = await services();
    const { realm, app } = await testRealm(gh, { signup_mode: "invitation" });
    const params = { realm: realm.slug };
    const created = await call(invitationsRoute.POST as Handler, {
      method: "POST",
      params,
      body: { email: "Guest@Example.com", expires_in_days: 3, client_id: app.id },
    });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      object: "invitation",
      id: expect.stringMatching(/^inv_/),
      realm_id: realm.id,
      email: "guest@example.com",
      status: "pending",
      expires_at: expect.any(String),
      used_at: null,
      used_by: null,
      created_at: expect.any(String),
      url: expect.stringMatching(
        new RegExp(
          `^${TEST_PUBLIC_URL}/${realm.slug}/signup\\?invitation=[A-Za-z0-9_-]{43}&client_id=${app.id}$`,
        ),
      ),
    });
    const lifetime = Date.parse(created.json.expires_at) - Date.parse(created.json.created_at);
    expect(lifetime).toBe(3 * 24 * 60 * 60_000);
    const secret = new URL(created.json.url).searchParams.get("invitation") ?? "";

    const list = await call(invitationsRoute.GET as Handler, { params });
    expect(list.status).toBe(200);
    expect(list.json).toMatchObject({ object: "list", has_more: false, data: [{ id: created.json.id }] });
    expect(list.json.data[0].url).toBeUndefined();
    expect(JSON.stringify(list.json)).not.toContain(secret);
    expect(JSON.stringify(list.json)).not.toMatch(/hash/i);

    const revoked = await call(invitationRoute.DELETE as Handler, {
      method: "DELETE",
      params: { ...params, id: created.json.id },
    });
    expect(revoked.status).toBe(204);
    const again = await call(invitationRoute.DELETE as Handler, {
      method: "DELETE",
      params: { ...params, id: created.json.id },
    });
    expect(again.status).toBe(404);
    expect(again.json.error).toEqual({ code: "invitation.not_found", message: "No such invitation." });
    expect((await call(invitationsRoute.GET as Handler, { params })).json.data).toEqual([]);
  });

  it("an empty body makes an open invitation for 7 days; bad input is a 422 listing every field", async () => {
    const gh = await services();
    const { realm } = await testRealm(gh);
    const params = { realm: realm.slug };
    const open = await call(invitationsRoute.POST as Handler, { method: "POST", params, body: {} });
    expect(open.status).toBe(201);
    expect(open.json.email).toBeNull();
    expect(new URL(open.json.url).searchParams.has("client_id")).toBe(false);
    expect(Date.parse(open.json.expires_at) - Date.parse(open.json.created_at)).toBe(7 * 24 * 60 * 60_000);

    const bad = await call(invitationsRoute.POST as Handler, {
      method: "POST",
      params,
      body: { email: 42, expires_in_days: 90, client_id: "app_nope", role: "admin" },
    });
    expect(bad.status).toBe(422);
    expect(
      bad.json.error.fields.map((f: { field: string; code: string }) => `${f.field}:${f.code}`).sort(),
    ).toEqual(["email:field.invalid_type", "expires_in_days:number.too_big", "role:field.unknown"]);
    const noApp = await call(invitationsRoute.POST as Handler, {
      method: "POST",
      params,
      body: { client_id: "app_nope" },
    });
    expect(noApp.status).toBe(422);
    expect(noApp.json.error.fields).toEqual([
      { field: "client_id", code: "app.not_found", message: "Unknown application." },
    ]);
    expect((await call(invitationsRoute.GET as Handler, { params })).json.data).toHaveLength(1);
  });

  it("a realm key manages its own realm's invitations only; no key, no access", async () => {
    const gh = await services();
    const mine = await testRealm(gh);
    const other = await testRealm(gh);
    const { secret } = await gh.apiKeys.create(mine.realm.id, "test");
    const auth = `Bearer ${secret}`;
    const created = await call(invitationsRoute.POST as Handler, {
      auth,
      method: "POST",
      params: { realm: mine.realm.slug },
      body: {},
    });
    expect(created.status).toBe(201);
    const foreign = await call(invitationsRoute.GET as Handler, {
      auth,
      params: { realm: other.realm.slug },
    });
    expect(foreign.status).toBe(404);
    const theirs = await gh.invitations.create(other.realm, {});
    const revokeTheirs = await call(invitationRoute.DELETE as Handler, {
      auth,
      method: "DELETE",
      params: { realm: mine.realm.slug, id: theirs.invitation.id },
    });
    expect(revokeTheirs.status).toBe(404);
    expect((await gh.invitations.list(other.realm.id, { limit: 10 })).data).toHaveLength(1);
    const anonymous = await call(invitationsRoute.GET as Handler, {
      auth: null,
      params: { realm: mine.realm.slug },
    });
    expect(anonymous.status).toBe(401);
  });
});
