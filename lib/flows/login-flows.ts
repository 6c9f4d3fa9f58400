import type { Apps } from "@/lib/apps";
import { buildReturnUrl } from "@/lib/apps";
import type { Altcha } from "@/lib/bot-defence";
import { AppError, isAppError, parseOrThrow } from "@/lib/errors";
import type { Events, RequestContext } from "@/lib/events";
import type { PasswordHasher } from "@/lib/passwords";
import type { Realm } from "@/lib/realms";
import type { Session, Sessions } from "@/lib/sessions";
import type { LoginTokens } from "@/lib/tokens";
import type { User, Users } from "@/lib/users";
import { type Entry, readEntryParams, resolveEntry } from "./entry";
import { loginFormSchema, signupFormSchema } from "./forms";

/** A login in progress: what is proven so far (DESIGN section 2.1). */
interface FlowState {
  realm: Realm;
  entry: Entry;
  user: User;
  amr: string[];
  isSignup: boolean;
}

/** The browser leaves with a new session cookie and a redirect to the app carrying the token. */
export interface Completion {
  redirectUrl: string;
  session: Session;
  sessionSecret: string;
}

export interface LoginFlowDeps {
  apps: Apps;
  users: Users;
  hasher: PasswordHasher;
  sessions: Sessions;
  tokens: LoginTokens;
  events: Events;
  realmUrl: (realm: Realm) => string;
  altcha: Altcha;
}

export function createLoginFlows(deps: LoginFlowDeps) {
  const { apps, users, hasher, sessions, tokens, events } = deps;

  async function redirectWithToken(state: FlowState, session: Session): Promise<string> {
    const { realm, entry, user } = state;
    const token = await tokens.issue({
      realm: { id: realm.id, url: deps.realmUrl(realm), tokenMinutes: realm.settings.token_minutes },
      app: { id: entry.app.id },
      user,
      session: { id: session.id, expiresAt: session.expiresAt, createdAt: session.createdAt },
      amr: state.amr,
    });
    return buildReturnUrl(entry.redirectUri, {
      token,
      state: entry.state,
      redir: entry.redir,
      signup: state.isSignup ? "true" : undefined,
    });
  }

  /**
   * Runs what the realm still requires, then finishes. No required steps exist yet; later ones
   * (2FA, verified email, expired password) plug in here and persist the flow row between pages.
   */
  async function advance(
    state: FlowState,
    context: RequestContext,
    previousSecret?: string,
  ): Promise<Completion> {
    // A login always gets a new session id; the browser's previous session (if any) ends here.
    if (previousSecret) await sessions.endBySecret(state.realm.id, previousSecret);
    const { session, secret } = await sessions.create({
      realmId: state.realm.id,
      userId: state.user.id,
      amr: state.amr,
      minutes: state.realm.settings.session_minutes,
      context,
    });
    await users.recordLogin(state.realm.id, state.user.id);
    await events.record({
      realmId: state.realm.id,
      type: state.isSignup ? "user.signup" : "user.login",
      userId: state.user.id,
      appId: state.entry.app.id,
      sessionId: session.id,
      context,
      data: { amr: state.amr },
    });
    return { redirectUrl: await redirectWithToken(state, session), session, sessionSecret: secret };
  }

  return {
    /** Validates the app and return address of a request; throws an AppError for the error page. */
    async entry(realm: Realm, params: Record<string, unknown>): Promise<Entry> {
      return resolveEntry(apps, realm.id, readEntryParams(params));
    },

    /** Seamless SSO: with a live session, a fresh token for this app without a form. */
    async seamless(realm: Realm, entry: Entry, sessionSecret: string | undefined, context: RequestContext) {
      if (entry.forceLogin) return null;
      const session = await sessions.findLive(realm.id, sessionSecret);
      if (!session) return null;
      const user = await users.find(realm.id, session.userId);
      if (user?.state !== "active") return null;
      await events.record({
        realmId: realm.id,
        type: "session.sso",
        userId: user.id,
        appId: entry.app.id,
        sessionId: session.id,
        context,
      });
      return redirectWithToken({ realm, entry, user, amr: session.amr, isSignup: false }, session);
    },

    /**
     * Email + password. Every failure looks the same from outside: one code, one text, and the
     * time of one password hash whether or not the account exists.
     */
    async loginWithPassword(
      realm: Realm,
      entry: Entry,
      input: unknown,
      context: RequestContext,
      previousSecret?: string,
    ): Promise<Completion> {
      const form = parseOrThrow(loginFormSchema, input);
      const found = await users.findForLogin(realm.id, form.email);
      let failure: string | null = null;
      if (!found?.hash) {
        await hasher.verifyAgainstNothing(form.password, realm.settings.bcrypt_cost);
        failure = found ? "no_password" : "unknown_user";
      } else if (!(await hasher.verify(form.password, found.hash))) {
        failure = "wrong_password";
      } else if (found.user.state !== "active") {
        failure = "inactive";
      }
      if (failure || !found?.hash) {
        await events.record({
          realmId: realm.id,
          type: "user.login_failed",
          userId: found?.user.id ?? null,
          appId: entry.app.id,
          context,
          data: { reason: failure, method: "password" },
        });
        throw new AppError("auth.invalid_credentials");
      }
      if (hasher.needsRehash(found.hash, realm.settings.bcrypt_cost)) {
        await users.replacePasswordHash(
          realm.id,
          found.user.id,
          await hasher.hash(form.password, realm.settings.bcrypt_cost),
        );
      }
      return advance(
        { realm, entry, user: found.user, amr: ["pwd"], isSignup: false },
        context,
        previousSecret,
      );
    },

    async signup(
      realm: Realm,
      entry: Entry,
      input: unknown,
      context: RequestContext,
      previousSecret?: string,
    ): Promise<Completion> {
      if (realm.settings.signup_mode !== "open")
        throw new AppError("signup.closed", { params: { realm: realm.name } });
      const form = parseOrThrow(
        signupFormSchema({
          passwordMin: realm.settings.password_min_length,
          passwordMax: realm.settings.password_max_length,
          names: realm.settings.signup_names,
        }),
        input,
      );
      // Before anything is created or revealed (an address already taken): bots pay first.
      await deps.altcha.guard(realm, (input as Record<string, unknown> | null)?.altcha);
      const user = await users.create(realm, form);
      return advance({ realm, entry, user, amr: ["pwd"], isSignup: true }, context, previousSecret);
    },

    /** Where `/logout` sends the browser: the app's registered URI it asked for, else the login page. */
    async logoutTarget(realm: Realm, params: Record<string, unknown>): Promise<string> {
      const loginPage = `${deps.realmUrl(realm)}/login`;
      if (typeof params.redirect_uri !== "string" || !params.redirect_uri) return loginPage;
      try {
        const entry = await resolveEntry(apps, realm.id, readEntryParams(params));
        return buildReturnUrl(entry.redirectUri, { state: entry.state });
      } catch (error) {
        if (isAppError(error)) return loginPage;
        throw error;
      }
    },

    /**
     * Whether a logout request proves it comes from an app of this session: `id_token_hint` is a
     * login token this realm signed for this very session (expired tokens count; only the signature,
     * issuer and `sid` matter, as in OpenID Connect RP-initiated logout).
     */
    async logoutHintMatches(realm: Realm, hint: unknown, sessionId: string): Promise<boolean> {
      if (typeof hint !== "string" || hint.length > 8192) return false;
      const claims = await tokens.verifySignature(realm.id, hint);
      return (
        claims !== null &&
        claims.iss === deps.realmUrl(realm) &&
        claims.sid === sessionId &&
        claims.rid === realm.id
      );
    },

    /** Ends the browser's session (if any) and records it. */
    async logout(
      realm: Realm,
      sessionSecret: string | undefined,
      context: RequestContext,
    ): Promise<Session | null> {
      const ended = await sessions.endBySecret(realm.id, sessionSecret);
      if (ended) {
        await events.record({
          realmId: realm.id,
          type: "user.logout",
          userId: ended.userId,
          sessionId: ended.id,
          context,
        });
      }
      return ended;
    },
  };
}

export type LoginFlows = ReturnType<typeof createLoginFlows>;
