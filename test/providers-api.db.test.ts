import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as providerRoute from "@/app/api/v1/realms/[realm]/providers/[id]/route";
import * as providersRoute from "@/app/api/v1/realms/[realm]/providers/route";
import * as identityRoute from "@/app/api/v1/realms/[realm]/users/[id]/identities/[identity_id]/route";
import * as identitiesRoute from "@/app/api/v1/realms/[realm]/users/[id]/identities/route";
import * as userRoute from "@/app/api/v1/realms/[realm]/users/[id]/route";
import { tables } from "@/lib/db";
import type { Services } from "@/lib/services";
import { call, type Handler, routesUseTestServices } from "@/test/api";
import { TEST_PUBLIC_URL, testRealm } from "@/test/db";

const services = routesUseTestServices();
const LIST = providersRoute.GET as Handler;
const CREATE = providersRoute.POST as Handler;
const GET = providerRoute.GET as Handler;
const PATCH = providerRoute.PATCH as Handler;
const DELETE = providerRoute.DELETE as Handler;
const IDENTITIES = identitiesRoute.GET as Handler;
const UNLINK = identityRoute.DELETE as Handler;
const GET_USER = userRoute.GET as Handler;

const SECRET = "super-secret-client-value-7f3a9c";

async function realmKey(gh: Services, realmId: string) {
  const { key, secret } = await gh.apiKeys.createFromInput(realmId, { name: "ops" });
  return { keyId: key.id, auth: `Bearer ${secret}` };
}

async function events(gh: Services, realmId: string, type: string) {
  return gh.db
    .select()
    .from(tables.events)
    .where(and(eq(tables.events.realmId, realmId), eq(tables.events.type, type)));
}

const create = (realm: string, body: unknown, auth?: string) =>
  call(CREATE, { method: "POST", params: { realm }, body, auth });

const oauth2Body = {
  kind: "oauth2",
  slug: "forge",
  display_name: "Forge",
  client_id: "forge-client",
  client_secret: SECRET,
  authorization_endpoint: "https://forge.example/oauth/authorize",
  token_endpoint: "https://forge.example/oauth/token",
  userinfo_endpoint: "https://forge.example/api/me",
  mapping: { id: "id", email: "email", email_verified: "email_verified", name: "name" },
  position: 7,
};

describe("/api/v1/realms/{realm}/providers", () => {
  it("creates every kind (201), lists them in position order, and never returns the secret", async () => {
    const gh = await services();
    const { realm } = await testRealm(gh);
    const { keyId, auth } = await realmKey(gh, realm.id);
    const bodies = [
      ...["google", "github", "facebook", "linkedin", "slack", "yahoo"].map((kind, i) => ({
        kind,
        client_id: `${kind}-client`,
        client_secret: SECRET,
        position: 10 - i,
      })),
      {
        kind: "oidc",
        slug: "corp",
        display_name: "Corp SSO",
        client_id: "corp",
        client_secret: SECRET,
        issuer: "https://id.corp.example",
        scopes: ["openid", "email"],
        position: 0,
      },
      oauth2Body,
    ];
    const responses = [];
    for (const body of bodies) responses.push(await create(realm.slug, body, auth));
    for (const res of responses) expect(res.status, JSON.stringify(res.json)).toBe(201);

    const [google] = responses;
    expect(google?.json).toEqual({
      object: "social_provider",
      id: expect.stringMatching(/^sp_/),
      slug: "google",
      kind: "google",
      display_name: "Google",
      client_id: "google-client",
      client_secret_set: true,
      scopes: [],
      enabled: true,
      position: 10,
      redirect_uri: `${TEST_PUBLIC_URL}/${realm.slug}/login/social/google/callback`,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(responses[6]?.json).toMatchObject({
      slug: "corp",
      kind: "oidc",
      issuer: "https://id.corp.example",
      scopes: ["openid", "email"],
      redirect_uri: `${TEST_PUBLIC_URL}/${realm.slug}/login/social/corp/callback`,
    });
    expect(responses[7]?.json).toMatchObject({
      kind: "oauth2",
      authorization_endpoint: oauth2Body.authorization_endpoint,
      token_endpoint: oauth2Body.token_endpoint,
      userinfo_endpoint: oauth2Body.userinfo_endpoint,
      mapping: oauth2Body.mapping,
    });
    expect(responses[7]?.json).not.toHaveProperty("issuer");
    expect(google?.json).not.toHaveProperty("mapping");

    const list = await call(LIST, { params: { realm: realm.slug }, auth });
    expect(list.status).toBe(200);
    expect(list.json.data.map((p: { slug: string }) => p.slug)).toEqual([
      "corp",
      "yahoo",
      "slack",
      "linkedin",
      "forge",
      "facebook",
      "github",
      "google",
    ]);
    const one = await call(GET, { params: { realm: realm.slug, id: google?.json.id } });
    expect(one.json).toEqual(google?.json);

    // The secret is stored (sealed) and readable by the server only.
    expect(await gh.socialProviders.clientSecret({ realmId: realm.id, id: google?.json.id })).toBe(SECRET);
    const [row] = await gh.db
      .select()
      .from(tables.socialProviders)
      .where(eq(tables.socialProviders.id, google?.json.id));
    expect(row?.clientSecretSealed).not.toContain(SECRET);
    const created = await events(gh, realm.id, "provider.created");
    expect(created).toHaveLength(8);
    expect(created[0]?.data).toMatchObject({ via: "api", key: keyId, slug: expect.any(String) });
    for (const json of [...responses.map((r) => r.json), list.json, one.json, created])
      expect(JSON.stringify(json)).not.toContain(SECRET);
  });

  it("422 with field errors for insecure URLs, preset overrides, missing and unknown fields", async () => {
    const gh = await services();
    const { realm } = await testRealm(gh);
    const http = await create(realm.slug, { ...oauth2Body, token_endpoint: "http://forge.example/token" });
    expect(http.status).toBe(422);
    expect(http.json.error).toMatchObject({
      code: "validation.failed",
      fields: [
        { field: "token_endpoint", code: "url.https_required", message: expect.stringMatching(/https/) },
      ],
    });
    const preset = await create(realm.slug, {
      kind: "github",
      client_id: "x",
      token_endpoint: "https://evil.example/token",
    });
    expect(preset.status).toBe(422);
    expect(preset.json.error.fields).toEqual([
      {
        field: "token_endpoint",
        code: "provider.preset_fixed",
        message: expect.stringMatching(/Built-in providers use their own endpoints/),
      },
    ]);
    const missing = await create(realm.slug, { kind: "oidc", client_secret: SECRET, extra: 1 });
    expect(missing.status).toBe(422);
    expect(missing.json.error.fields.map((f: { field: string; code: string }) => [f.field, f.code])).toEqual(
      expect.arrayContaining([
        ["slug", "field.required"],
        ["display_name", "field.required"],
        ["client_id", "field.required"],
        ["issuer", "field.required"],
        ["extra", "field.unknown"],
      ]),
    );
    expect(JSON.stringify(missing.json)).not.toContain(SECRET);
    expect((await call(LIST, { params: { realm: realm.slug } })).json.data).toEqual([]);
  });

  it("409 for a slug the realm already has, on create and on rename", async () => {
    const gh = await services();
    const { realm } = await testRealm(gh);
    expect((await create(realm.slug, { kind: "github", client_id: "a" })).status).toBe(201);
    const again = await create(realm.slug, { kind: "github", client_id: "b" });
    expect(again.status).toBe(409);
    expect(again.json.error).toMatchObject({
      code: "social.slug_taken",
      fields: [{ field: "slug", code: "social.slug_taken" }],
    });
    // Same preset under another slug (a second GitHub app) is fine.
    const second = await create(realm.slug, { kind: "github", slug: "github-enterprise", client_id: "b" });
    expect(second.status).toBe(201);
    const rename = await call(PATCH, {
      method: "PATCH",
      params: { realm: realm.slug, id: second.json.id },
      body: { slug: "github" },
    });
    expect(rename.status).toBe(409);
    // Another realm may use the slug.
    const { realm: other } = await testRealm(gh);
    expect((await create(other.slug, { kind: "github", client_id: "a" })).status).toBe(201);
  });

  it("PATCH changes the given fields, keeps the secret unless given, null removes it", async () => {
    const gh = await services();
    const { realm } = await testRealm(gh);
    const made = await create(realm.slug, oauth2Body);
    const params = { realm: realm.slug, id: made.json.id };
    const patch = (body: unknown) => call(PATCH, { method: "PATCH", params, body });

    const renamed = await patch({
      display_name: "Forge 2",
      enabled: false,
      token_endpoint: "https://forge.example/t2",
    });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toMatchObject({
      display_name: "Forge 2",
      enabled: false,
      client_secret_set: true,
      token_endpoint: "https://forge.example/t2",
      authorization_endpoint: oauth2Body.authorization_endpoint,
      mapping: oauth2Body.mapping,
    });
    expect(await gh.socialProviders.clientSecret({ realmId: realm.id, id: made.json.id })).toBe(SECRET);

    const NEW = "rotated-client-secret-0042";
    expect((await patch({ client_secret: NEW })).json.client_secret_set).toBe(true);
    expect(await gh.socialProviders.clientSecret({ realmId: realm.id, id: made.json.id })).toBe(NEW);
    const cleared = await patch({ client_secret: null });
    expect(cleared.json.client_secret_set).toBe(false);
    expect(await gh.socialProviders.clientSecret({ realmId: realm.id, id: made.json.id })).toBeNull();

    const bad = await patch({ kind: "oidc", issuer: "https://id.example" });
    expect(bad.status).toBe(422);
    expect(bad.json.error.fields.map((f: { code: string }) => f.code)).toEqual([
      "provider.wrong_kind",
      "provider.kind_fixed",
    ]);
    const [updated] = await events(gh, realm.id, "provider.updated");
    expect(updated?.data).toMatchObject({ fields: ["display_name", "enabled", "token_endpoint"] });
    const all = await events(gh, realm.id, "provider.updated");
    expect(JSON.stringify(all)).not.toContain(NEW);
    expect(all.map((e) => (e.data as { fields: string[] }).fields)).toContainEqual(["client_secret"]);
  });

  it("PATCH refuses to move a provider with linked identities to another server or id field", async () => {
    const gh = await services();
    const { realm } = await testRealm(gh);
    const made = await create(realm.slug, oauth2Body);
    const params = { realm: realm.slug, id: made.json.id };
    const patch = (body: unknown) => call(PATCH, { method: "PATCH", params, body });
    const user = await gh.users.create(realm, { email: "in-use@example.com" });
    await gh.identities.link(realm.id, user.id, made.json.id, {
      subject: "42",
      email: "in-use@example.com",
      emailVerified: true,
      firstName: null,
      lastName: null,
    });
    const moved = await patch({ userinfo_endpoint: "https://other.example/me" });
    expect(moved.status).toBe(409);
    expect(moved.json.error).toMatchObject({
      code: "social.provider_in_use",
      fields: [{ field: "userinfo_endpoint", code: "social.provider_in_use" }],
    });
    const remapped = await patch({ mapping: { ...oauth2Body.mapping, id: "uuid" } });
    expect(remapped.status).toBe(409);
    // Everything else may still change.
    expect((await patch({ display_name: "Forge again", client_secret: "another-secret-0043" })).status).toBe(
      200,
    );
    expect((await gh.socialProviders.find(realm.id, made.json.id))?.config).toMatchObject({
      userinfo_endpoint: oauth2Body.userinfo_endpoint,
    });
  });

  it("DELETE returns the deleted provider and removes the identities linked through it", async () => {
    const gh = await services();
    const { realm } = await testRealm(gh);
    const github = await create(realm.slug, { kind: "github", client_id: "gh" });
    const google = await create(realm.slug, { kind: "google", client_id: "go" });
    const user = await gh.users.create(realm, { email: "linked@example.com" });
    const profile = { email: "linked@example.com", emailVerified: true, firstName: null, lastName: null };
    await gh.identities.link(realm.id, user.id, github.json.id, { ...profile, subject: "583231" });
    await gh.identities.link(realm.id, user.id, google.json.id, { ...profile, subject: "1076915" });
    const userParams = { realm: realm.slug, id: user.id };
    expect((await call(GET_USER, { params: userParams })).json.identities).toEqual(["github", "google"]);

    const deleted = await call(DELETE, {
      method: "DELETE",
      params: { realm: realm.slug, id: github.json.id },
    });
    expect(deleted.status).toBe(200);
    expect(deleted.json).toMatchObject({
      object: "social_provider",
      id: github.json.id,
      slug: "github",
      deleted: true,
      identities_removed: 1,
    });
    expect(await gh.identities.findBySubject(realm.id, github.json.id, "583231")).toBeNull();
    expect((await call(GET_USER, { params: userParams })).json.identities).toEqual(["google"]);
    const [event] = await events(gh, realm.id, "provider.deleted");
    expect(event?.data).toMatchObject({ slug: "github", identities_removed: 1 });
    const gone = await call(GET, { params: { realm: realm.slug, id: github.json.id } });
    expect(gone.status).toBe(404);
    expect(gone.json.error.code).toBe("social.provider_not_found");
    expect(
      (await call(DELETE, { method: "DELETE", params: { realm: realm.slug, id: github.json.id } })).status,
    ).toBe(404);
  });

  it("a realm key sees and touches only its own realm's providers", async () => {
    const gh = await services();
    const { realm } = await testRealm(gh);
    const { realm: other } = await testRealm(gh);
    const { auth: otherKey } = await realmKey(gh, other.id);
    const mine = await create(realm.slug, { kind: "github", client_id: "mine" });
    const params = { realm: realm.slug, id: mine.json.id };

    expect((await call(LIST, { params: { realm: realm.slug }, auth: otherKey })).status).toBe(404);
    expect((await create(realm.slug, { kind: "google", client_id: "x" }, otherKey)).status).toBe(404);
    for (const [handler, method, body] of [
      [GET, "GET", undefined],
      [PATCH, "PATCH", { display_name: "Hijacked" }],
      [DELETE, "DELETE", undefined],
    ] as const) {
      const foreign = await call(handler, { method, params, body, auth: otherKey });
      expect(foreign.status).toBe(404);
      expect(foreign.json.error.code).toBe("realm.not_found");
      // The provider's id under the other realm's own name: not there.
      const crossed = await call(handler, {
        method,
        params: { ...params, realm: other.slug },
        body,
        auth: otherKey,
      });
      expect(crossed.status).toBe(404);
      expect(crossed.json.error.code).toBe("social.provider_not_found");
      expect((await call(handler, { method, params, body, auth: null })).status).toBe(401);
    }
    expect((await call(LIST, { params: { realm: other.slug }, auth: otherKey })).json.data).toEqual([]);
    expect((await call(GET, { params })).json).toMatchObject({ display_name: "GitHub", client_id: "mine" });
  });
});

describe("/api/v1/realms/{realm}/users/{id}/identities", () => {
  it("lists a user's identities and unlinks one (204, event how: admin), then 404", async () => {
    const gh = await services();
    const { realm } = await testRealm(gh);
    const { keyId, auth } = await realmKey(gh, realm.id);
    const github = await create(realm.slug, { kind: "github", client_id: "gh" });
    const user = await gh.users.create(realm, { email: "ada@example.com" });
    const identity = await gh.identities.link(realm.id, user.id, github.json.id, {
      subject: "42",
      email: "ada@example.com",
      emailVerified: true,
      firstName: "Ada",
      lastName: null,
    });
    const params = { realm: realm.slug, id: user.id };

    const list = await call(IDENTITIES, { params, auth });
    expect(list).toEqual({
      status: 200,
      json: {
        object: "list",
        data: [
          {
            object: "user_identity",
            id: identity.id,
            user_id: user.id,
            provider: { id: github.json.id, slug: "github", display_name: "GitHub" },
            subject: "42",
            email: "ada@example.com",
            email_verified: true,
            created_at: expect.any(String),
            last_login_at: expect.any(String),
          },
        ],
      },
    });

    // Another user's identity id under this user: not theirs.
    const bob = await gh.users.create(realm, { email: "bob@example.com" });
    const wrongUser = await call(UNLINK, {
      method: "DELETE",
      params: { realm: realm.slug, id: bob.id, identity_id: identity.id },
    });
    expect(wrongUser.status).toBe(404);
    expect(wrongUser.json.error.code).toBe("social.identity_not_found");

    const unlink = await call(UNLINK, {
      method: "DELETE",
      params: { ...params, identity_id: identity.id },
      auth,
    });
    expect(unlink).toEqual({ status: 204, json: null });
    expect((await call(IDENTITIES, { params })).json.data).toEqual([]);
    const [event] = await events(gh, realm.id, "user.identity_unlinked");
    expect(event).toMatchObject({
      userId: user.id,
      data: { identity: identity.id, provider: "github", how: "admin", via: "api", key: keyId },
    });
    const again = await call(UNLINK, { method: "DELETE", params: { ...params, identity_id: identity.id } });
    expect(again.status).toBe(404);

    const { realm: other } = await testRealm(gh);
    const { auth: otherKey } = await realmKey(gh, other.id);
    expect((await call(IDENTITIES, { params, auth: otherKey })).json.error.code).toBe("realm.not_found");
    const nobody = await call(IDENTITIES, { params: { ...params, id: "usr_nobody" } });
    expect(nobody.json.error.code).toBe("user.not_found");
  });
});
