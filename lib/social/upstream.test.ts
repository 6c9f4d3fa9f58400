import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "@/lib/clock";
import { isAppError } from "@/lib/errors";
import { createOutboundFetch } from "./outbound";
import type { ResolvedProvider, SocialProvider } from "./types";
import { createSocialUpstream } from "./upstream";

/**
 * A minimal OpenID Provider on loopback: discovery, JWKS, a token endpoint that answers with an ID
 * token signed by `signWith`, and userinfo holding the email (not in the ID token).
 */
async function startFakeIssuer() {
  const published = await generateKeyPair("RS256");
  const other = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(published.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  const state = {
    signWith: published.privateKey as CryptoKey,
    nonce: "",
    sub: "user-1",
    userinfoSub: "user-1",
    tokenRequests: [] as { auth: string | undefined; body: string }[],
  };
  let issuer = "";
  const server: Server = createServer((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    if (req.url === "/.well-known/openid-configuration") {
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        userinfo_endpoint: `${issuer}/me`,
        jwks_uri: `${issuer}/jwks`,
        id_token_signing_alg_values_supported: ["RS256"],
      });
    }
    if (req.url === "/jwks") return json(200, { keys: [jwk] });
    if (req.url === "/me")
      return json(200, { sub: state.userinfoSub, email: "ana@example.com", email_verified: true });
    if (req.url === "/token") {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", async () => {
        state.tokenRequests.push({ auth: req.headers.authorization, body });
        const idToken = await new SignJWT({ nonce: state.nonce })
          .setProtectedHeader({ alg: "RS256", kid: "k1" })
          .setIssuer(issuer)
          .setAudience("client-1")
          .setSubject(state.sub)
          .setIssuedAt()
          .setExpirationTime("5m")
          .sign(state.signWith);
        json(200, { access_token: "at-1", token_type: "Bearer", expires_in: 300, id_token: idToken });
      });
      return;
    }
    json(404, {});
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    issuer,
    state,
    otherKey: other.privateKey as CryptoKey,
    publishedKey: published.privateKey,
  };
}

describe("the upstream half of a social login (oauth4webapi)", () => {
  let fake: Awaited<ReturnType<typeof startFakeIssuer>>;
  beforeAll(async () => {
    fake = await startFakeIssuer();
  });
  afterAll(() => new Promise<void>((done) => fake.server.close(() => done())));

  const resolved = (): ResolvedProvider => {
    const provider = { id: "sp_1", realmId: "r1", clientId: "client-1", slug: "acme" } as SocialProvider;
    return {
      provider,
      protocol: {
        protocol: "oidc",
        issuer: fake.issuer,
        scopes: ["email"],
        tokenAuthMethod: "client_secret_basic",
      },
      mapProfile: () => {
        throw new Error("not used here");
      },
    };
  };
  const upstream = () =>
    createSocialUpstream({
      fetch: createOutboundFetch({ allowInsecure: true }),
      allowInsecure: true,
      clientSecret: async () => "s3cret",
      clock: systemClock,
    });

  async function run(tweak: (started: { state: string; nonce: string | null }) => void = () => {}) {
    const up = upstream();
    const started = await up.authorize(resolved(), "https://portal.example/r/login/social/acme/callback");
    fake.state.nonce = started.nonce ?? "";
    tweak(started);
    return up.finish(resolved(), {
      params: new URLSearchParams({ code: "c-1", state: started.state }),
      redirectUri: "https://portal.example/r/login/social/acme/callback",
      state: started.state,
      nonce: started.nonce,
      codeVerifier: started.codeVerifier,
    });
  }
  const reasonOf = (promise: Promise<unknown>) =>
    promise.then(
      () => "ok",
      (error: unknown) => (isAppError(error) ? `${error.code} ${error.message}` : String(error)),
    );

  it("builds the authorization URL with PKCE S256, state, nonce and openid", async () => {
    const started = await upstream().authorize(resolved(), "https://portal.example/cb");
    const url = new URL(started.url);
    expect(url.origin + url.pathname).toBe(`${fake.issuer}/auth`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: "client-1",
      redirect_uri: "https://portal.example/cb",
      response_type: "code",
      scope: "openid email",
      state: started.state,
      nonce: started.nonce,
      code_challenge_method: "S256",
    });
    expect(url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("asks the provider to authenticate afresh only when the login forces it (prompt=login)", async () => {
    const plain = new URL((await upstream().authorize(resolved(), "https://portal.example/cb")).url);
    expect(plain.searchParams.has("prompt")).toBe(false);
    const forced = new URL(
      (await upstream().authorize(resolved(), "https://portal.example/cb", { forceLogin: true })).url,
    );
    expect(forced.searchParams.get("prompt")).toBe("login");
  });

  it("redeems the code (client_secret_basic, PKCE verifier), checks the ID token and reads userinfo", async () => {
    fake.state.signWith = fake.publishedKey;
    const raw = await run();
    expect(raw.idToken?.sub).toBe("user-1");
    expect(raw.userinfo).toMatchObject({ sub: "user-1", email: "ana@example.com", email_verified: true });
    const last = fake.state.tokenRequests.at(-1);
    // RFC 6749 section 2.3.1: id and secret are form-encoded inside the Basic credentials.
    const basic = Buffer.from((last?.auth ?? "").replace(/^Basic /, ""), "base64").toString();
    expect(basic.split(":").map(decodeURIComponent)).toEqual(["client-1", "s3cret"]);
    expect(new URLSearchParams(last?.body).get("code_verifier")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("refuses an ID token signed by a key the provider does not publish", async () => {
    fake.state.signWith = fake.otherKey;
    expect(await reasonOf(run())).toMatch(/^social\.failed id_token_signature:/);
    fake.state.signWith = fake.publishedKey;
  });

  it("refuses a wrong nonce and a userinfo for another subject", async () => {
    expect(
      await reasonOf(
        run(() => {
          fake.state.nonce = "someone-elses";
        }),
      ),
    ).toMatch(/^social\.failed token:/);
    fake.state.userinfoSub = "user-2";
    expect(await reasonOf(run())).toMatch(/^social\.failed userinfo:/);
    fake.state.userinfoSub = "user-1";
  });

  it("maps a declined consent to social.cancelled and a state mismatch to a failure", async () => {
    const up = upstream();
    const started = await up.authorize(resolved(), "https://portal.example/cb");
    const input = {
      redirectUri: "https://portal.example/cb",
      state: started.state,
      nonce: started.nonce,
      codeVerifier: "v",
    };
    expect(
      await reasonOf(
        up.finish(resolved(), {
          ...input,
          params: new URLSearchParams({ error: "access_denied", state: started.state }),
        }),
      ),
    ).toBe("social.cancelled social.cancelled");
    expect(
      await reasonOf(
        up.finish(resolved(), { ...input, params: new URLSearchParams({ code: "c", state: "other" }) }),
      ),
    ).toMatch(/^social\.failed callback:/);
  });
});
