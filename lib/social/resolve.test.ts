import { describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors";
import { resolveProvider } from "./resolve";
import type { SocialProvider } from "./types";

const base: SocialProvider = {
  realmId: "rlm_1",
  id: "sp_1",
  slug: "github",
  kind: "github",
  displayName: "GitHub",
  clientId: "client",
  hasClientSecret: true,
  scopes: [],
  config: {},
  enabled: true,
  position: 0,
  createdAt: new Date(0),
  updatedAt: new Date(0),
};

describe("resolveProvider", () => {
  it("a preset brings its protocol and mapping; the provider's scopes replace the defaults", () => {
    const resolved = resolveProvider(base);
    expect(resolved.provider).toBe(base);
    expect(resolved.protocol).toMatchObject({
      protocol: "oauth2",
      tokenEndpoint: "https://github.com/login/oauth/access_token",
      scopes: ["read:user", "user:email"],
    });
    expect(resolveProvider({ ...base, scopes: ["user:email"] }).protocol.scopes).toEqual(["user:email"]);
    expect(resolved.mapProfile({ userinfo: { id: 7, name: "A B" }, extra: { emails: [] } }).subject).toBe(
      "7",
    );
  });

  it("OpenID Connect always asks for openid, even when the provider's scopes forget it", () => {
    const google = { ...base, kind: "google" as const, slug: "google", scopes: ["email"] };
    expect(resolveProvider(google).protocol).toMatchObject({
      protocol: "oidc",
      issuer: "https://accounts.google.com",
      scopes: ["openid", "email"],
    });
  });

  it("a generic OIDC provider uses its issuer and standard claims", () => {
    const oidc = {
      ...base,
      kind: "oidc" as const,
      slug: "corp",
      config: { issuer: "https://id.example.com" },
    };
    const resolved = resolveProvider(oidc);
    expect(resolved.protocol).toEqual({
      protocol: "oidc",
      issuer: "https://id.example.com",
      scopes: ["openid", "email", "profile"],
      tokenAuthMethod: "client_secret_basic",
    });
    expect(
      resolved.mapProfile({ idToken: { sub: "x", email: "a@b.co", email_verified: true }, extra: {} }),
    ).toMatchObject({ subject: "x", emailVerified: true });
  });

  it("a generic OAuth 2.0 provider uses its endpoints and field mapping", () => {
    const oauth2 = {
      ...base,
      kind: "oauth2" as const,
      slug: "forge",
      scopes: ["profile"],
      config: {
        authorization_endpoint: "https://forge.example/oauth/authorize",
        token_endpoint: "https://forge.example/oauth/token",
        userinfo_endpoint: "https://forge.example/api/me",
        mapping: { id: "user.id", email: "user.email" },
      },
    };
    const resolved = resolveProvider(oauth2);
    expect(resolved.protocol).toMatchObject({
      protocol: "oauth2",
      authorizationEndpoint: "https://forge.example/oauth/authorize",
      userinfoEndpoint: "https://forge.example/api/me",
      scopes: ["profile"],
    });
    expect(
      resolved.mapProfile({ userinfo: { user: { id: 5, email: "Z@Forge.example" } }, extra: {} }),
    ).toEqual({
      subject: "5",
      email: "z@forge.example",
      emailVerified: false,
      firstName: null,
      lastName: null,
    });
  });

  it("a stored generic provider missing its configuration fails as a provider error", () => {
    for (const broken of [
      { ...base, kind: "oidc" as const, config: {} },
      { ...base, kind: "oauth2" as const, config: { authorization_endpoint: "https://x.example/a" } },
    ]) {
      let caught: unknown;
      try {
        resolveProvider(broken);
      } catch (error) {
        caught = error;
      }
      expect(isAppError(caught) && caught.code).toBe("social.failed");
    }
  });
});
