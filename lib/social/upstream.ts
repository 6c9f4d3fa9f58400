import * as oauth from "oauth4webapi";
import type { Clock } from "@/lib/clock";
import { AppError, isAppError } from "@/lib/errors";
import type { OutboundFetch } from "./outbound";
import type { ProviderProtocol, RawProfile, ResolvedProvider, SocialProvider } from "./types";

/**
 * The OAuth 2.0 / OpenID Connect mechanics of a social login (issue 6), on oauth4webapi: no
 * framework session, no state kept here. The login flow keeps `state`, `nonce` and the PKCE
 * verifier in its own row between `authorize` and `finish`.
 */

/** What the flow keeps between the redirect to the provider and its callback. */
export interface AuthorizationRequest {
  url: string;
  state: string;
  /** OpenID Connect only. */
  nonce: string | null;
  codeVerifier: string;
}

export interface CallbackInput {
  /** The callback's query, as the provider sent it. */
  params: URLSearchParams;
  redirectUri: string;
  state: string;
  nonce: string | null;
  codeVerifier: string;
}

/**
 * The provider-facing half of a social login: the login flow depends on this interface, so its
 * tests pass a fake provider instead of a network.
 */
export interface SocialUpstream {
  /**
   * The provider's authorization URL with PKCE, `state` and (OIDC) `nonce`. `forceLogin` (the
   * login's `prompt=login`, as when the profile asks a user without a password to sign in again)
   * asks an OpenID provider to authenticate the user afresh instead of answering from its session.
   */
  authorize(
    resolved: ResolvedProvider,
    redirectUri: string,
    options?: { forceLogin?: boolean },
  ): Promise<AuthorizationRequest>;
  /**
   * Validates the callback (state, error), redeems the code (PKCE), validates the ID token
   * (issuer, audience, nonce, expiry, signature) and reads the profile. Throws
   * `AppError("social.cancelled")` when the user declined at the provider, else
   * `AppError("social.failed")` with a short reason as its message (never a secret).
   */
  finish(resolved: ResolvedProvider, input: CallbackInput): Promise<RawProfile>;
}

export interface UpstreamDeps {
  fetch: OutboundFetch;
  /** GATEHOUSE_ALLOW_INSECURE_UPSTREAM=1: oauth4webapi may use http endpoints too. */
  allowInsecure: boolean;
  clientSecret: (provider: SocialProvider) => Promise<string | null>;
  clock: Clock;
}

/** How long a provider's discovery document (and its JWKS) is reused. */
export const DISCOVERY_TTL_MS = 5 * 60_000;

interface Discovered {
  as: oauth.AuthorizationServer;
  jwks: oauth.JWKSCacheInput;
  expiresAt: number;
}

const failed = (reason: string) => new AppError("social.failed", { message: reason.slice(0, 200) });

/** The short, secret-free reason of a failure from oauth4webapi or the network. */
function reasonOf(error: unknown): string {
  if (error instanceof oauth.ResponseBodyError) return `${error.code}:${error.error}`;
  if (error instanceof oauth.OperationProcessingError) return error.code ?? "processing";
  if (error instanceof oauth.UnsupportedOperationError) return "unsupported";
  if (error instanceof Error && error.name === "OutboundRefused")
    return `outbound:${(error as Error & { reason?: string }).reason}`;
  return "network";
}

export function createSocialUpstream(deps: UpstreamDeps): SocialUpstream {
  const discovered = new Map<string, Discovered>();
  const options = {
    [oauth.customFetch]: deps.fetch,
    [oauth.allowInsecureRequests]: deps.allowInsecure,
  };

  /** The provider's metadata: discovery for OIDC (cached per issuer), the configured endpoints for OAuth2. */
  async function serverOf(protocol: ProviderProtocol): Promise<Discovered> {
    if (protocol.protocol === "oauth2") {
      if (!protocol.authorizationEndpoint || !protocol.tokenEndpoint) throw failed("endpoints_missing");
      return {
        as: {
          // Plain OAuth 2.0 has no issuer; the token endpoint's origin stands in (never compared).
          issuer: new URL(protocol.tokenEndpoint).origin,
          authorization_endpoint: protocol.authorizationEndpoint,
          token_endpoint: protocol.tokenEndpoint,
          userinfo_endpoint: protocol.userinfoEndpoint,
        },
        jwks: {},
        expiresAt: Number.POSITIVE_INFINITY,
      };
    }
    const issuer = protocol.issuer;
    if (!issuer) throw failed("issuer_missing");
    const now = deps.clock.now().getTime();
    const cached = discovered.get(issuer);
    if (cached && cached.expiresAt > now) return cached;
    const url = new URL(issuer);
    const response = await oauth.discoveryRequest(url, { ...options, algorithm: "oidc" });
    const as = await oauth.processDiscoveryResponse(url, response);
    const entry = { as, jwks: {}, expiresAt: now + DISCOVERY_TTL_MS };
    discovered.set(issuer, entry);
    return entry;
  }

  async function clientAuthOf(resolved: ResolvedProvider): Promise<oauth.ClientAuth> {
    const secret = await deps.clientSecret(resolved.provider);
    if (!secret) return oauth.None();
    return resolved.protocol.tokenAuthMethod === "client_secret_post"
      ? oauth.ClientSecretPost(secret)
      : oauth.ClientSecretBasic(secret);
  }

  /** GET a JSON resource with the access token (plain OAuth 2.0 profiles, GitHub's `/user/emails`). */
  async function resource(protocol: ProviderProtocol, accessToken: string, url: string): Promise<unknown> {
    const headers = new Headers({
      accept: "application/json",
      "user-agent": "Gatehouse",
      ...protocol.resourceHeaders,
    });
    const response = await oauth.protectedResourceRequest(
      accessToken,
      "GET",
      new URL(url),
      headers,
      null,
      options,
    );
    if (response.status !== 200) throw failed(`resource_status_${response.status}`);
    return response.json();
  }

  return {
    async authorize(resolved, redirectUri, options = {}) {
      const { protocol, provider } = resolved;
      try {
        const { as } = await serverOf(protocol);
        if (!as.authorization_endpoint) throw failed("authorization_endpoint_missing");
        const codeVerifier = oauth.generateRandomCodeVerifier();
        const state = oauth.generateRandomState();
        const nonce = protocol.protocol === "oidc" ? oauth.generateRandomNonce() : null;
        const scopes =
          protocol.protocol === "oidc" && !protocol.scopes.includes("openid")
            ? ["openid", ...protocol.scopes]
            : protocol.scopes;
        const url = new URL(as.authorization_endpoint);
        const params: Record<string, string> = {
          ...protocol.authorizationParams,
          client_id: provider.clientId,
          redirect_uri: redirectUri,
          response_type: "code",
          scope: scopes.join(" "),
          state,
          code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
          code_challenge_method: "S256",
          ...(nonce ? { nonce } : {}),
          ...(options.forceLogin && protocol.protocol === "oidc" ? { prompt: "login" } : {}),
        };
        for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
        return { url: url.href, state, nonce, codeVerifier };
      } catch (error) {
        if (isAppError(error)) throw error;
        throw failed(`discovery:${reasonOf(error)}`);
      }
    },

    async finish(resolved, input) {
      const { protocol, provider } = resolved;
      let step = "discovery";
      try {
        const { as, jwks } = await serverOf(protocol);
        const client: oauth.Client = { client_id: provider.clientId };
        step = "callback";
        const params = oauth.validateAuthResponse(as, client, input.params, input.state);
        step = "token";
        const tokenResponse = await oauth.authorizationCodeGrantRequest(
          as,
          client,
          await clientAuthOf(resolved),
          params,
          input.redirectUri,
          input.codeVerifier,
          options,
        );
        const tokens = await oauth.processAuthorizationCodeResponse(as, client, tokenResponse, {
          // Issuer, audience, expiry and nonce of the ID token are checked here.
          expectedNonce: protocol.protocol === "oidc" && input.nonce ? input.nonce : oauth.expectNoNonce,
          requireIdToken: protocol.protocol === "oidc",
        });
        const raw: RawProfile = { extra: {} };
        let subject: string | typeof oauth.skipSubjectCheck = oauth.skipSubjectCheck;
        if (protocol.protocol === "oidc") {
          step = "id_token_signature";
          // oauth4webapi does not check the signature of an ID token from the token endpoint (TLS
          // vouches for it); issue 6 asks for it: validateApplicationLevelSignature checks the
          // processed response's ID token against the provider's JWKS (`jwks_uri`).
          await oauth.validateApplicationLevelSignature(as, tokenResponse, {
            ...options,
            [oauth.jwksCache]: jwks,
          });
          const claims = oauth.getValidatedIdTokenClaims(tokens);
          if (!claims) throw failed("id_token_missing");
          raw.idToken = { ...claims };
          subject = claims.sub;
        }
        if (protocol.protocol === "oidc" && as.userinfo_endpoint) {
          step = "userinfo";
          // Some providers put the email only in userinfo; its `sub` must be the ID token's.
          const response = await oauth.userInfoRequest(as, client, tokens.access_token, options);
          raw.userinfo = { ...(await oauth.processUserInfoResponse(as, client, subject, response)) };
        } else if (protocol.userinfoEndpoint) {
          step = "profile";
          const profile = await resource(protocol, tokens.access_token, protocol.userinfoEndpoint);
          if (typeof profile !== "object" || profile === null || Array.isArray(profile))
            throw failed("profile_not_object");
          raw.userinfo = profile as Record<string, unknown>;
        }
        for (const [name, url] of Object.entries(protocol.extraResources ?? {})) {
          step = `extra:${name}`;
          raw.extra[name] = await resource(protocol, tokens.access_token, url);
        }
        return raw;
      } catch (error) {
        if (isAppError(error)) throw error;
        if (error instanceof oauth.AuthorizationResponseError) {
          if (error.error === "access_denied") throw new AppError("social.cancelled");
          throw failed(`callback:${error.error}`);
        }
        throw failed(`${step}:${reasonOf(error)}`);
      }
    },
  };
}
