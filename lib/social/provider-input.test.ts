import { describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors";
import { parseProviderCreate, parseProviderPatch } from "./provider-input";
import type { SocialProvider } from "./types";

const secure = { allowInsecureUpstream: false };
const insecure = { allowInsecureUpstream: true };

function fieldErrors(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (isAppError(error)) return { code: error.code, fields: error.fields.map((f) => [f.field, f.code]) };
    throw error;
  }
  throw new Error("accepted");
}

const oauth2 = {
  kind: "oauth2",
  slug: "forge",
  display_name: "Forge",
  client_id: "abc",
  client_secret: "s3cret",
  authorization_endpoint: "https://forge.example/oauth/authorize",
  token_endpoint: "https://forge.example/oauth/token",
  userinfo_endpoint: "https://forge.example/api/me?fields=id,email",
  mapping: { id: "id", email: "email", name: "profile.name" },
};

describe("provider input: create", () => {
  it("a preset needs only a client id: slug, name and scopes come from the preset", () => {
    expect(parseProviderCreate({ kind: "github", client_id: "Iv1.abc" }, secure)).toEqual({
      slug: "github",
      kind: "github",
      displayName: "GitHub",
      clientId: "Iv1.abc",
      clientSecret: undefined,
      scopes: [],
      config: {},
      enabled: true,
      position: 0,
    });
  });

  it("a generic OIDC provider keeps its issuer exactly as written", () => {
    const fields = parseProviderCreate(
      {
        kind: "oidc",
        slug: "corp",
        display_name: "Corp SSO",
        client_id: "c",
        client_secret: "s",
        issuer: " https://id.corp.example ",
        scopes: ["openid", "email"],
        enabled: false,
        position: 3,
      },
      secure,
    );
    expect(fields).toMatchObject({
      slug: "corp",
      config: { issuer: "https://id.corp.example" },
      clientSecret: "s",
      scopes: ["openid", "email"],
      enabled: false,
      position: 3,
    });
  });

  it("a generic OAuth 2.0 provider keeps endpoints (a query is fine) and the mapping", () => {
    expect(parseProviderCreate(oauth2, secure).config).toEqual({
      authorization_endpoint: "https://forge.example/oauth/authorize",
      token_endpoint: "https://forge.example/oauth/token",
      userinfo_endpoint: "https://forge.example/api/me?fields=id,email",
      mapping: { id: "id", email: "email", name: "profile.name" },
    });
  });

  it("generic providers need a slug, a name and what their kind needs", () => {
    expect(fieldErrors(() => parseProviderCreate({ kind: "oidc", client_id: "c" }, secure))).toEqual({
      code: "validation.failed",
      fields: [
        ["slug", "field.required"],
        ["display_name", "field.required"],
        ["issuer", "field.required"],
      ],
    });
    const { mapping: _m, token_endpoint: _t, ...partial } = oauth2;
    expect(fieldErrors(() => parseProviderCreate(partial, secure)).fields).toEqual([
      ["token_endpoint", "field.required"],
      ["mapping", "field.required"],
    ]);
    expect(fieldErrors(() => parseProviderCreate({ client_id: "c" }, secure)).fields).toContainEqual([
      "kind",
      expect.any(String),
    ]);
    expect(
      fieldErrors(() => parseProviderCreate({ kind: "myspace", client_id: "c" }, secure)).fields,
    ).toEqual([["kind", "field.invalid"]]);
  });

  it("presets refuse endpoint, issuer and mapping overrides", () => {
    expect(
      fieldErrors(() =>
        parseProviderCreate(
          {
            kind: "google",
            client_id: "c",
            issuer: "https://evil.example",
            token_endpoint: "https://evil.example/token",
            mapping: { id: "sub" },
          },
          secure,
        ),
      ).fields,
    ).toEqual([
      ["issuer", "provider.preset_fixed"],
      ["token_endpoint", "provider.preset_fixed"],
      ["mapping", "provider.preset_fixed"],
    ]);
    expect(
      fieldErrors(() =>
        parseProviderCreate({ ...oauth2, kind: "oidc", issuer: "https://id.example" }, secure),
      ).fields,
    ).toEqual([
      ["authorization_endpoint", "provider.wrong_kind"],
      ["token_endpoint", "provider.wrong_kind"],
      ["userinfo_endpoint", "provider.wrong_kind"],
      ["mapping", "provider.wrong_kind"],
    ]);
  });

  it.each([
    ["http://id.example.com", "url.https_required"],
    ["https://user:pw@id.example.com", "url.invalid"],
    ["https://id.example.com/#frag", "url.invalid"],
    ["https://id.example.com?x=1", "url.invalid"],
    ["/relative", "url.invalid"],
    ["javascript:alert(1)", "url.invalid"],
    ["ftp://id.example.com", "url.invalid"],
    ["https:id.example.com", "url.invalid"],
    ["https://127.0.0.1:8443", "url.private_host"],
    ["https://localhost", "url.private_host"],
    ["https://10.1.2.3", "url.private_host"],
    ["https://169.254.169.254", "url.private_host"],
    ["https://[::1]", "url.private_host"],
    ["https://[fd00::1]", "url.private_host"],
    ["https://[::ffff:127.0.0.1]", "url.private_host"],
  ])("refuses the issuer %s with %s", (issuer, code) => {
    const input = { kind: "oidc", slug: "x", display_name: "X", client_id: "c", issuer };
    expect(fieldErrors(() => parseProviderCreate(input, secure)).fields).toEqual([["issuer", code]]);
  });

  it("GATEHOUSE_ALLOW_INSECURE_UPSTREAM=1 allows http and loopback, never userinfo or fragments", () => {
    const input = { kind: "oidc", slug: "x", display_name: "X", client_id: "c" };
    expect(parseProviderCreate({ ...input, issuer: "http://127.0.0.1:4455" }, insecure).config.issuer).toBe(
      "http://127.0.0.1:4455",
    );
    expect(
      fieldErrors(() => parseProviderCreate({ ...input, issuer: "http://u:p@127.0.0.1" }, insecure)).fields,
    ).toEqual([["issuer", "url.invalid"]]);
  });

  it("checks slugs, scopes, mapping paths, unknown fields", () => {
    const result = fieldErrors(() =>
      parseProviderCreate(
        {
          ...oauth2,
          slug: "-Bad",
          scopes: ["openid", "two words", "openid"],
          mapping: { id: "a..b", nickname: "x" },
          colour: "blue",
        },
        secure,
      ),
    );
    expect(result.fields).toEqual(
      expect.arrayContaining([
        ["slug", "provider.slug_invalid"],
        ["scopes.1", "scope.invalid"],
        ["scopes", "list.duplicate"],
        ["mapping.id", "mapping.path_invalid"],
        ["mapping.nickname", "field.unknown"],
        ["colour", "field.unknown"],
      ]),
    );
    expect(parseProviderCreate({ kind: "slack", slug: "0-slack-2", client_id: "c" }, secure).slug).toBe(
      "0-slack-2",
    );
    expect(
      fieldErrors(() => parseProviderCreate({ kind: "slack", slug: "a".repeat(33), client_id: "c" }, secure))
        .fields,
    ).toEqual([["slug", "provider.slug_invalid"]]);
  });
});

describe("provider input: patch", () => {
  const existing: SocialProvider = {
    realmId: "r",
    id: "sp",
    slug: "forge",
    kind: "oauth2",
    displayName: "Forge",
    clientId: "abc",
    hasClientSecret: true,
    scopes: [],
    config: {
      authorization_endpoint: "https://forge.example/a",
      token_endpoint: "https://forge.example/t",
      userinfo_endpoint: "https://forge.example/u",
      mapping: { id: "id" },
    },
    enabled: true,
    position: 0,
    createdAt: new Date(0),
    updatedAt: new Date(0),
  };

  it("changes only what is given; the secret stays unless given, null removes it", () => {
    expect(parseProviderPatch(existing, { display_name: "Forge 2" }, secure)).toEqual({
      displayName: "Forge 2",
    });
    expect(parseProviderPatch(existing, { client_secret: null }, secure)).toEqual({ clientSecret: null });
    expect(parseProviderPatch(existing, { token_endpoint: "https://forge.example/t2" }, secure)).toEqual({
      config: { ...existing.config, token_endpoint: "https://forge.example/t2" },
    });
  });

  it("refuses a change of kind and settings of another kind", () => {
    expect(
      fieldErrors(() => parseProviderPatch(existing, { kind: "oidc", issuer: "https://x.example" }, secure))
        .fields,
    ).toEqual([
      ["issuer", "provider.wrong_kind"],
      ["kind", "provider.kind_fixed"],
    ]);
    expect(parseProviderPatch(existing, { kind: "oauth2" }, secure)).toEqual({});
    const github = { ...existing, kind: "github" as const, config: {} };
    expect(
      fieldErrors(() => parseProviderPatch(github, { userinfo_endpoint: "https://x.example" }, secure))
        .fields,
    ).toEqual([["userinfo_endpoint", "provider.preset_fixed"]]);
  });
});
