import { describe, expect, it } from "vitest";
import * as unknownApiRoute from "@/app/api/[...path]/route";
import * as apiKeysRoute from "@/app/api/v1/realms/[realm]/api_keys/route";
import * as appsRoute from "@/app/api/v1/realms/[realm]/apps/route";
import * as realmRoute from "@/app/api/v1/realms/[realm]/route";
import * as userRoute from "@/app/api/v1/realms/[realm]/users/[id]/route";
import * as usersRoute from "@/app/api/v1/realms/[realm]/users/route";
import * as realmsRoute from "@/app/api/v1/realms/route";
import { call, type Handler, routesUseTestServices } from "@/test/api";

let slugCounter = 0;
const newSlug = () => `api${Date.now().toString(36)}${(slugCounter++).toString(36)}`;

async function createRealm() {
  const slug = newSlug();
  const res = await call(realmsRoute.POST as Handler, {
    method: "POST",
    body: { slug, name: "API Realm", settings: { bcrypt_cost: 4 } },
  });
  expect(res.status).toBe(201);
  return res.json as { id: string; slug: string };
}

const services = routesUseTestServices();

describe("management API", () => {
  it("an unknown API path answers 404 in the API's error shape, for every method", async () => {
    for (const handler of [unknownApiRoute.GET, unknownApiRoute.POST, unknownApiRoute.DELETE]) {
      const res = await call(async () => handler(), { auth: null });
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ error: { code: "resource.not_found", message: "No such resource." } });
    }
  });

  it("401 without a key or with a wrong one; same body shape", async () => {
    const missing = await call(realmsRoute.GET as Handler, { auth: null });
    expect(missing.status).toBe(401);
    expect(missing.json.error.code).toBe("auth.missing_api_key");
    const wrong = await call(realmsRoute.GET as Handler, { auth: "Bearer ks_not-a-real-key" });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toEqual({ error: { code: "auth.invalid_api_key", message: expect.any(String) } });
  });

  it("creates, reads and patches a realm; never returns key material", async () => {
    const realm = await createRealm();
    expect(realm).toMatchObject({
      object: "realm",
      id: expect.stringMatching(/^rl_/),
      url: `http://gatehouse.test/${realm.slug}`,
    });
    const got = await call(realmRoute.GET as Handler, { params: { realm: realm.slug } });
    expect(got.status).toBe(200);
    expect(got.json.settings.bcrypt_cost).toBe(4);
    expect(JSON.stringify(got.json)).not.toMatch(/private|"d":/);
    const patched = await call(realmRoute.PATCH as Handler, {
      method: "PATCH",
      params: { realm: realm.id },
      body: { name: "Renamed", settings: { token_minutes: 30 } },
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ name: "Renamed", settings: { token_minutes: 30, bcrypt_cost: 4 } });
  });

  it("400 for malformed JSON, 415 for another content type, 413 for a huge body, 422 with fields; nothing changes", async () => {
    const realm = await createRealm();
    const params = { realm: realm.slug };
    const malformed = await call(realmRoute.PATCH as Handler, { method: "PATCH", params, body: "{nope" });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.code).toBe("request.malformed_json");
    const form = await call(realmRoute.PATCH as Handler, {
      method: "PATCH",
      params,
      body: "name=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(415);
    const huge = await call(realmRoute.PATCH as Handler, {
      method: "PATCH",
      params,
      body: { name: "x".repeat(70_000) },
    });
    expect(huge.status).toBe(413);
    const invalid = await call(realmRoute.PATCH as Handler, {
      method: "PATCH",
      params,
      body: { name: "", settings: { token_minutes: "soon", bogus: true } },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.json.error.code).toBe("validation.failed");
    const fields = invalid.json.error.fields.map(
      (f: { field: string; code: string }) => `${f.field}:${f.code}`,
    );
    expect(fields).toEqual(
      expect.arrayContaining(["name:field.required", "settings.token_minutes:field.invalid_type"]),
    );
    const after = await call(realmRoute.GET as Handler, { params });
    expect(after.json.name).toBe("API Realm");
    expect(after.json.settings.token_minutes).toBe(15);
  });

  it("404 for an unknown realm; 409 for a duplicate slug", async () => {
    const realm = await createRealm();
    expect((await call(realmRoute.GET as Handler, { params: { realm: "no-such-realm" } })).status).toBe(404);
    const dup = await call(realmsRoute.POST as Handler, {
      method: "POST",
      body: { slug: realm.slug, name: "Again" },
    });
    expect(dup.status).toBe(409);
    expect(dup.json.error.fields[0]).toMatchObject({ field: "slug", code: "realm.slug_taken" });
  });

  it("apps: create with normalised redirect URIs, refuse bad ones, list", async () => {
    const realm = await createRealm();
    const params = { realm: realm.slug };
    const created = await call(appsRoute.POST as Handler, {
      method: "POST",
      params,
      body: { name: "Web", redirect_uris: ["HTTPS://App.Example:443/cb"] },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      object: "app",
      redirect_uris: ["https://app.example/cb"],
      allow_subpaths: false,
    });
    const bad = await call(appsRoute.POST as Handler, {
      method: "POST",
      params,
      body: {
        name: "Bad",
        redirect_uris: ["javascript:alert(1)", "https://u:p@x.example/", "https://x.example/#f"],
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.error.fields).toHaveLength(3);
    const list = await call(appsRoute.GET as Handler, { params });
    expect(list.json).toMatchObject({ object: "list", has_more: false, data: [{ name: "Web" }] });
  });

  it("users: create with and without password, 409 on duplicate email in any case, get, paginate, delete", async () => {
    const realm = await createRealm();
    const params = { realm: realm.slug };
    const a = await call(usersRoute.POST as Handler, {
      method: "POST",
      params,
      body: { email: "Alice@Example.com", password: "lantern-password-1", first_name: "Alice" },
    });
    expect(a.status).toBe(201);
    expect(a.json).toMatchObject({
      object: "user",
      email: "alice@example.com",
      first_name: "Alice",
      name: "Alice",
    });
    expect(JSON.stringify(a.json)).not.toMatch(/hash|\$2b\$|password/);
    const dup = await call(usersRoute.POST as Handler, {
      method: "POST",
      params,
      body: { email: "ALICE@example.com" },
    });
    expect(dup.status).toBe(409);
    expect(dup.json.error.code).toBe("user.email_taken");
    for (const n of [1, 2, 3]) {
      const res = await call(usersRoute.POST as Handler, {
        method: "POST",
        params,
        body: { email: `u${n}@example.com` },
      });
      expect(res.status).toBe(201);
    }
    const short = await call(usersRoute.POST as Handler, {
      method: "POST",
      params,
      body: { email: "s@example.com", password: "short" },
    });
    expect(short.status).toBe(422);
    expect(short.json.error.fields).toEqual([
      {
        field: "password",
        code: "password.too_short",
        message: "Use at least 8 characters.",
        params: { min: 8 },
      },
      {
        field: "password",
        code: "password.too_common",
        message: "This password is too common. Choose one that is unique to you.",
      },
    ]);

    const page1 = await call(usersRoute.GET as Handler, { params, path: "/api/v1/x?limit=2" });
    expect(page1.json.data).toHaveLength(2);
    expect(page1.json.has_more).toBe(true);
    const page2 = await call(usersRoute.GET as Handler, {
      params,
      path: `/api/v1/x?limit=2&after=${page1.json.next_after}`,
    });
    expect(page2.json.data).toHaveLength(2);
    expect(page2.json.has_more).toBe(false);
    const ids = [...page1.json.data, ...page2.json.data].map((u: { id: string }) => u.id);
    expect(new Set(ids).size).toBe(4);
    expect((await call(usersRoute.GET as Handler, { params, path: "/api/v1/x?limit=1000" })).status).toBe(
      400,
    );

    const one = await call(userRoute.GET as Handler, { params: { ...params, id: a.json.id } });
    expect(one.json.id).toBe(a.json.id);
    expect(
      (await call(userRoute.DELETE as Handler, { method: "DELETE", params: { ...params, id: a.json.id } }))
        .status,
    ).toBe(204);
    expect((await call(userRoute.GET as Handler, { params: { ...params, id: a.json.id } })).status).toBe(404);
    expect(
      (await call(userRoute.DELETE as Handler, { method: "DELETE", params: { ...params, id: a.json.id } }))
        .status,
    ).toBe(404);
  });

  it("users: PATCH marks 'must change password', edits names and state, refuses bad input; GET shows password facts", async () => {
    const realm = await createRealm();
    const params = { realm: realm.slug };
    const created = await call(usersRoute.POST as Handler, {
      method: "POST",
      params,
      body: { email: "pat@example.com", password: "pat-password-1" },
    });
    const id = created.json.id as string;
    const before = await call(userRoute.GET as Handler, { params: { ...params, id } });
    expect(before.json.password).toEqual({ must_change: false, changed_at: expect.any(String) });
    expect(JSON.stringify(before.json)).not.toMatch(/hash|\$2b\$/);

    const patched = await call(userRoute.PATCH as Handler, {
      method: "PATCH",
      params: { ...params, id },
      body: { must_change_password: true, first_name: "Pat", state: "inactive" },
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({
      first_name: "Pat",
      state: "inactive",
      password: { must_change: true },
    });

    for (const body of [{ email: "x@example.com" }, { state: "gone" }, { must_change_password: "yes" }]) {
      const bad = await call(userRoute.PATCH as Handler, {
        method: "PATCH",
        params: { ...params, id },
        body,
      });
      expect(bad.status).toBe(422);
    }
    const noPassword = await call(usersRoute.POST as Handler, {
      method: "POST",
      params,
      body: { email: "nopw@example.com" },
    });
    const refused = await call(userRoute.PATCH as Handler, {
      method: "PATCH",
      params: { ...params, id: noPassword.json.id },
      body: { must_change_password: true },
    });
    expect(refused.status).toBe(422);
    expect(refused.json.error.fields[0].field).toBe("must_change_password");
    const after = await call(userRoute.GET as Handler, { params: { ...params, id: noPassword.json.id } });
    expect(after.json.password).toBeNull();
    const unknown = await call(userRoute.PATCH as Handler, {
      method: "PATCH",
      params: { ...params, id: "usr_nope" },
      body: { first_name: "N" },
    });
    expect(unknown.status).toBe(404);
  });

  it("realm responses warn when password expiry is on (NIST advises against it)", async () => {
    const realm = await createRealm();
    expect((await call(realmRoute.GET as Handler, { params: { realm: realm.slug } })).json.warnings).toEqual(
      [],
    );
    const patched = await call(realmRoute.PATCH as Handler, {
      method: "PATCH",
      params: { realm: realm.slug },
      body: { settings: { password_expiry_days: 90 } },
    });
    expect(patched.json.settings.password_expiry_days).toBe(90);
    expect(patched.json.warnings).toEqual([expect.stringContaining("NIST")]);
  });

  it("a realm-scoped key sees its own realm only and cannot create realms", async () => {
    const gh = await services();
    const mine = await createRealm();
    const other = await createRealm();
    const { secret } = await gh.apiKeys.create(mine.id, "test");
    const auth = `Bearer ${secret}`;
    expect((await call(realmRoute.GET as Handler, { auth, params: { realm: mine.slug } })).status).toBe(200);
    expect((await call(realmRoute.GET as Handler, { auth, params: { realm: other.slug } })).status).toBe(404);
    expect((await call(usersRoute.GET as Handler, { auth, params: { realm: other.slug } })).status).toBe(404);
    expect(
      (
        await call(realmsRoute.POST as Handler, {
          auth,
          method: "POST",
          body: { slug: newSlug(), name: "x" },
        })
      ).status,
    ).toBe(403);
  });

  it("api keys: the installation key mints a realm key shown once, stored hashed, listed without secret", async () => {
    const mine = await createRealm();
    const created = await call(apiKeysRoute.POST as Handler, {
      method: "POST",
      params: { realm: mine.slug },
      body: { name: "CI" },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ object: "api_key", name: "CI", key: expect.stringMatching(/^ks_/) });
    const auth = `Bearer ${created.json.key}`;
    expect((await call(usersRoute.GET as Handler, { auth, params: { realm: mine.slug } })).status).toBe(200);
    // A realm key cannot mint keys, not even for its own realm.
    expect(
      (
        await call(apiKeysRoute.POST as Handler, {
          auth,
          method: "POST",
          params: { realm: mine.slug },
          body: { name: "x" },
        })
      ).status,
    ).toBe(403);
    const list = await call(apiKeysRoute.GET as Handler, { params: { realm: mine.slug } });
    expect(list.json.data).toHaveLength(1);
    expect(list.json.data[0].last_used_at).not.toBeNull();
    expect(JSON.stringify(list.json)).not.toContain(created.json.key);
    expect(JSON.stringify(list.json)).not.toMatch(/hash/);
    const bad = await call(apiKeysRoute.POST as Handler, {
      method: "POST",
      params: { realm: mine.slug },
      body: { name: "", extra: 1 },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.error.fields.map((f: { field: string }) => f.field).sort()).toEqual(["extra", "name"]);
  });
});
