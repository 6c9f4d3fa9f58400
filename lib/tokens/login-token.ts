import { compactVerify, createLocalJWKSet, decodeJwt, SignJWT } from "jose";
import type { Clock } from "@/lib/clock";
import { newSecret } from "@/lib/crypto/secrets";
import type { SigningKeys } from "./keys";

export interface LoginTokenSubject {
  realm: { id: string; url: string; tokenMinutes: number };
  app: { id: string };
  user: {
    id: string;
    email: string;
    username: string | null;
    firstName: string | null;
    lastName: string | null;
    emailVerified: boolean;
  };
  /** `createdAt` is when the user last proved who they are (`auth_time`); SSO tokens keep it. */
  session: { id: string; expiresAt: Date; createdAt: Date };
  amr: string[];
  orgs?: Array<{ oid: string; name: string; perm: string[]; selected: boolean }>;
}

/** Claims of DESIGN section 3; `exp` never outlives the session it came from. */
export function createLoginTokens({ keys, clock }: { keys: SigningKeys; clock: Clock }) {
  return {
    async issue(subject: LoginTokenSubject): Promise<string> {
      const { realm, app, user, session } = subject;
      const active = await keys.active(realm.id);
      const now = Math.floor(clock.now().getTime() / 1000);
      const exp = Math.min(now + realm.tokenMinutes * 60, Math.floor(session.expiresAt.getTime() / 1000));
      const name = [user.firstName, user.lastName].filter(Boolean).join(" ");
      const claims: Record<string, unknown> = {
        rid: realm.id,
        sid: session.id,
        preferred_username: user.username ?? user.email,
        email: user.email,
        email_verified: user.emailVerified,
        amr: subject.amr,
        auth_time: Math.floor(session.createdAt.getTime() / 1000),
      };
      if (name) claims.name = name;
      if (user.firstName) claims.given_name = user.firstName;
      if (user.lastName) claims.family_name = user.lastName;
      if (subject.orgs) claims.orgs = subject.orgs;
      return new SignJWT(claims)
        .setProtectedHeader({ alg: active.alg, kid: active.kid, typ: "JWT" })
        .setIssuer(realm.url)
        .setAudience(app.id)
        .setSubject(user.id)
        .setJti(newSecret(16))
        .setIssuedAt(now)
        .setExpirationTime(exp)
        .sign(active.key);
    },

    /** The claims of a token this realm signed, checking the signature only (not `exp`), or null. */
    async verifySignature(realmId: string, token: string): Promise<Record<string, unknown> | null> {
      try {
        const jwks = createLocalJWKSet(await keys.jwks(realmId));
        await compactVerify(token, jwks, { algorithms: ["RS256", "ES256", "EdDSA"] });
        return decodeJwt(token);
      } catch {
        return null;
      }
    },
  };
}

export type LoginTokens = ReturnType<typeof createLoginTokens>;
