import type { Apps } from "@/lib/apps";
import { buildReturnUrl } from "@/lib/apps";
import type { Altcha } from "@/lib/bot-defence";
import type { Clock } from "@/lib/clock";
import type { EmailTokens, Mailer } from "@/lib/email";
import type { LoginNotices } from "@/lib/email/login-notices";
import { type EmailVerification, needsVerification, QUIET_SECONDS } from "@/lib/email-verification";
import { isAppError, parseOrThrow } from "@/lib/errors";
import type { Events, RequestContext } from "@/lib/events";
import type { Invitations } from "@/lib/invitations";
import type { Mfa, MfaPolicy } from "@/lib/mfa";
import { type Admission, createAdmission, type PasswordHasher } from "@/lib/passwords";
import { type PasswordChangeReason, passwordChangeReason } from "@/lib/passwords/expiry";
import { requirePasswordLogin } from "@/lib/passwords/password-login";
import type { Realm } from "@/lib/realms";
import type { Session, Sessions } from "@/lib/sessions";
import type { Identities, ResolvedProvider, SocialProvider, SocialProviders } from "@/lib/social";
import type { SocialUpstream } from "@/lib/social/upstream";
import type { Throttle } from "@/lib/throttle";
import type { LoginTokens } from "@/lib/tokens";
import type { User, Users } from "@/lib/users";
import { createCompleteProfileStep, missingProfileFields } from "./complete-profile-step";
import {
  type AppEntry,
  type Entry,
  entryToParams,
  profilePageUrl,
  readEntryParams,
  resolveEntry,
} from "./entry";
import { loginFormSchemaFor } from "./forms";
import { createPasswordCheck } from "./password-check";
import { createPasswordStep } from "./password-step";
import type { PendingFlows, PendingStep } from "./pending-flows";
import { owesVerification, type PendingLink } from "./pending-link";
import { createPasswordReset } from "./reset";
import { createEnrolSecondFactorStep, createSecondFactorStep } from "./second-factor-step";
import { createSignup } from "./signup";
import { createSocialLogin } from "./social-login";
import { pendingSteps, sessionLacksSecondFactor } from "./steps";
import { createVerifyEmailStep } from "./verify-email-step";

/** A login in progress: what is proven so far (DESIGN section 2.1). */
export interface FlowState {
  realm: Realm;
  entry: Entry;
  user: User;
  amr: string[];
  isSignup: boolean;
  /** Set when the user must choose a new password before the login may finish. */
  passwordChange?: PasswordChangeReason | null;
  /** An upstream identity to link to the user when the login finishes (lib/flows/pending-link.ts). */
  link?: PendingLink;
}

/** The browser leaves with a new session cookie and a redirect to the app carrying the token. */
export interface Completion {
  kind: "done";
  redirectUrl: string;
  session: Session;
  sessionSecret: string;
  /** The browser's device cookie for the realm (renewed at every login; new-device notices). */
  deviceSecret: string;
}

/** The login owes a step first: the browser gets the flow cookie and goes to the step's page. */
export interface StepRequired {
  kind: "step";
  redirectUrl: string;
  flowSecret: string;
  flowExpiresAt: Date;
}

export type LoginOutcome = Completion | StepRequired;

/** Runs the realm's pending steps, else finishes: what every way in calls once it has proven something. */
export type Advance = (
  state: FlowState,
  context: RequestContext,
  previousSecret?: string,
) => Promise<LoginOutcome>;

export interface LoginFlowDeps {
  clock: Clock;
  pending: PendingFlows;
  apps: Apps;
  users: Users;
  hasher: PasswordHasher;
  sessions: Sessions;
  tokens: LoginTokens;
  events: Events;
  invitations: Invitations;
  throttle: Throttle;
  realmUrl: (realm: Realm) => string;
  altcha: Altcha;
  notices: LoginNotices;
  mailer: Mailer;
  emailTokens: EmailTokens;
  verification: EmailVerification;
  mfa: Mfa;
  mfaPolicy: MfaPolicy;
  socialProviders: SocialProviders;
  identities: Identities;
  /** The provider-facing half of a social login (lib/social/upstream.ts; tests pass a fake). */
  upstream: SocialUpstream;
  resolveProvider: (provider: SocialProvider) => ResolvedProvider;
  /** Bounds the password logins in progress (lib/passwords/admission.ts); unset: no bound. */
  loginAdmission?: Admission;
}

export function createLoginFlows(deps: LoginFlowDeps) {
  const { apps, users, sessions, tokens, events, pending, clock, notices } = deps;
  const checkPassword = createPasswordCheck(deps);
  const admission = deps.loginAdmission ?? createAdmission(Number.POSITIVE_INFINITY);

  async function redirectWithToken(state: FlowState, entry: AppEntry, session: Session): Promise<string> {
    const { realm, user } = state;
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

  /** Links the identity a social login brought, now that every step is done (lib/flows/pending-link.ts). */
  async function linkIdentity(state: FlowState, link: PendingLink, context: RequestContext) {
    await deps.identities.link(state.realm.id, state.user.id, link.provider_id, link.profile);
    await events.record({
      realmId: state.realm.id,
      type: "user.identity_linked",
      userId: state.user.id,
      appId: state.entry.app?.id ?? null,
      context,
      data: { provider: link.provider_slug, how: link.how },
    });
  }

  /**
   * Ends the browser's previous session and opens a new one, then returns to the app with a token.
   * Only `advance` (below) calls this, once nothing is pending.
   */
  async function finish(
    state: FlowState,
    context: RequestContext,
    previousSecret?: string,
  ): Promise<Completion> {
    const { realm, user, entry } = state;
    const appId = entry.app?.id ?? null;
    if (state.link) await linkIdentity(state, state.link, context);
    let created: Awaited<ReturnType<Sessions["create"]>>;
    try {
      // A login always gets a new session id; the browser's previous session (if any) ends with it
      // and does not count against the realm's cap on sessions per user.
      created = await sessions.create({
        realmId: realm.id,
        userId: user.id,
        amr: state.amr,
        minutes: realm.settings.session_minutes,
        context,
        limit: { max: realm.settings.max_sessions_per_user, policy: realm.settings.session_limit_policy },
        replacesSecret: previousSecret,
      });
    } catch (error) {
      if (isAppError(error) && error.code === "session.limit_reached") {
        await events.record({
          realmId: realm.id,
          type: "user.login_failed",
          userId: user.id,
          appId,
          context,
          data: { reason: "session_limit", method: state.amr.join(" ") },
        });
      }
      throw error;
    }
    const { session, secret, evicted } = created;
    for (const old of evicted) {
      await events.record({
        realmId: realm.id,
        type: "session.evicted",
        userId: user.id,
        sessionId: old.id,
        context,
        data: { reason: "session_limit", by_session: session.id, max: realm.settings.max_sessions_per_user },
      });
    }
    await users.recordLogin(realm.id, user.id);
    const device = await notices.deviceLogin({
      realm,
      user,
      app: entry.app,
      amr: state.amr,
      isSignup: state.isSignup,
      context,
    });
    await events.record({
      realmId: realm.id,
      type: state.isSignup ? "user.signup" : "user.login",
      userId: user.id,
      appId,
      sessionId: session.id,
      context,
      data: {
        amr: state.amr,
        ...(entry.returnTo === "profile" ? { return_to: "profile" } : {}),
        ...(device.newDevice ? { new_device: true } : {}),
      },
    });
    // The profile is the realm's own page: the browser goes there with its new cookie, no token.
    const redirectUrl =
      entry.returnTo === "profile"
        ? profilePageUrl(deps.realmUrl(realm), "profile", entry)
        : await redirectWithToken(state, entry, session);
    return { kind: "done", redirectUrl, session, sessionSecret: secret, deviceSecret: device.deviceSecret };
  }

  /** Whether the user has an authenticator app, and whether the realm's policy holds them to one. */
  async function secondFactorFacts(realm: Realm, user: User) {
    const mfaEnabled = (await deps.mfa.status(realm.id, user.id)).enabled;
    const mfaRequired = mfaEnabled || (await deps.mfaPolicy.requiredFor(realm, user.id));
    return { mfaEnabled, mfaRequired };
  }

  /** What the login still owes, in the order the steps run (lib/flows/steps.ts). */
  async function stepsOf(state: FlowState): Promise<PendingStep[]> {
    return pendingSteps({
      amr: state.amr,
      passwordChange: !!state.passwordChange,
      emailUnverified: owesVerification(state.realm, state.user, state.link),
      profileIncomplete: missingProfileFields(state.realm, state.user).length > 0,
      ...(await secondFactorFacts(state.realm, state.user)),
    });
  }

  /**
   * Runs what the realm still requires, then finishes. A pending step (a second factor, an expired
   * password, an unverified address in `require` mode, missing profile fields the realm requires,
   * enrolling an authenticator app) persists the
   * login as a flow row and sends the browser to the first step's page; no session exists and no
   * token is issued until every step is done. A step handler that settles its step calls this
   * again, which works out afresh what is left.
   */
  async function advance(
    state: FlowState,
    context: RequestContext,
    previousSecret?: string,
  ): Promise<LoginOutcome> {
    const steps = await stepsOf(state);
    const [step] = steps;
    if (!step) return finish(state, context, previousSecret);
    const { flow, secret } = await pending.start({
      realmId: state.realm.id,
      appId: state.entry.app?.id ?? null,
      redirectUri: state.entry.redirectUri,
      state: state.entry.state,
      entryParams: entryToParams(state.entry),
      userId: state.user.id,
      amr: state.amr,
      isSignup: state.isSignup,
      steps,
      data: {
        ...(state.passwordChange ? { reason: state.passwordChange } : {}),
        ...(state.link ? { link: state.link } : {}),
      },
    });
    const appId = state.entry.app?.id ?? null;
    let page: string;
    if (step === "second_factor") {
      page = "login/verify";
    } else if (step === "enrol_second_factor") {
      page = "login/enrol-2fa";
    } else if (step === "complete_profile") {
      page = "login/complete-profile";
    } else if (step === "change_password") {
      page = "login/password";
      await events.record({
        realmId: state.realm.id,
        type: "user.password_change_required",
        userId: state.user.id,
        appId,
        context,
        data: { reason: state.passwordChange },
      });
    } else {
      page = "login/verify-email";
      // The step's email goes out as it starts, unless one just did (the signup's own, say).
      const sent =
        !(await deps.verification.sentWithin(state.realm, state.user, QUIET_SECONDS)) &&
        (await deps.verification.send(state.realm, state.user, {
          app: state.entry.app,
          params: entryToParams(state.entry),
        }));
      await events.record({
        realmId: state.realm.id,
        type: "user.email_verification_required",
        userId: state.user.id,
        appId,
        context,
        data: { email_sent: sent },
      });
    }
    return {
      kind: "step",
      redirectUrl: `${deps.realmUrl(state.realm)}/${page}`,
      flowSecret: secret,
      flowExpiresAt: flow.expiresAt,
    };
  }

  return {
    /** Validates the app and return address of a request; throws an AppError for the error page. */
    async entry(realm: Realm, params: Record<string, unknown>): Promise<Entry> {
      return resolveEntry(apps, realm.id, readEntryParams(params));
    },

    ...createSignup(deps, advance),
    ...createPasswordStep(deps, advance),
    ...createVerifyEmailStep(deps, advance),
    ...createPasswordReset(deps, advance),
    ...createSecondFactorStep(deps, advance),
    ...createEnrolSecondFactorStep(deps, advance),
    ...createSocialLogin(deps, advance),
    ...createCompleteProfileStep(deps, advance),

    /**
     * Whether a live session still owes a second factor (it began before the user enrolled, or
     * before the realm required one): such a session counts as signed out on the realm's own pages.
     */
    async sessionOwesSecondFactor(realm: Realm, session: Session, user: User): Promise<boolean> {
      return sessionLacksSecondFactor(session.amr, await secondFactorFacts(realm, user));
    },

    /** Seamless SSO: with a live session, a fresh token for this app without a form. */
    async seamless(realm: Realm, entry: Entry, sessionSecret: string | undefined, context: RequestContext) {
      if (entry.forceLogin) return null;
      const session = await sessions.findLive(realm.id, sessionSecret);
      if (!session) return null;
      const user = await users.find(realm.id, session.userId);
      if (user?.state !== "active") return null;
      // A password that must change (expired, or an admin asked) stops seamless tokens too: the
      // login form, and then the password step, run first.
      const password = await users.passwordStatus(realm.id, user.id);
      if (password && passwordChangeReason(password, realm.settings.password_expiry_days, clock.now()))
        return null;
      // So does an address the realm requires verified: the login, and then its step, run first.
      if (needsVerification(realm, user)) return null;
      // And profile fields the realm requires that the user lacks: the login asks for them first.
      if (missingProfileFields(realm, user).length > 0) return null;
      // And a session that never passed a second factor the user has, or that the realm requires of
      // them (it began before they enrolled or the policy changed): the login form, then the
      // second-factor step (or enrolment), run first.
      if (sessionLacksSecondFactor(session.amr, await secondFactorFacts(realm, user))) return null;
      if (entry.returnTo === "profile") return profilePageUrl(deps.realmUrl(realm), "profile", entry);
      await events.record({
        realmId: realm.id,
        type: "session.sso",
        userId: user.id,
        appId: entry.app.id,
        sessionId: session.id,
        context,
      });
      return redirectWithToken({ realm, entry, user, amr: session.amr, isSignup: false }, entry, session);
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
    ): Promise<LoginOutcome> {
      // A social-only realm refuses before anything is looked up: the answer says nothing about accounts.
      requirePasswordLogin(realm);
      // Over the bound, refused before the throttle counts it or a hash is queued for it.
      return admission.run(async () => {
        const form = parseOrThrow(loginFormSchemaFor(realm.settings.username_mode), input);
        const found = await checkPassword({
          realm,
          identifier: form.email,
          password: form.password,
          found: await users.findForLogin(realm.id, form.email),
          app: entry.app,
          context,
          method: "password",
        });
        const passwordChange = passwordChangeReason(
          found as { mustChange: boolean; changedAt: Date },
          realm.settings.password_expiry_days,
          clock.now(),
        );
        return advance(
          { realm, entry, user: found.user, amr: ["pwd"], isSignup: false, passwordChange },
          context,
          previousSecret,
        );
      });
    },

    /** Where `/logout` sends the browser: the app's registered URI it asked for, else the login page. */
    async logoutTarget(realm: Realm, params: Record<string, unknown>): Promise<string> {
      const loginPage = `${deps.realmUrl(realm)}/login`;
      if (typeof params.redirect_uri !== "string" || !params.redirect_uri) return loginPage;
      try {
        const entry = await resolveEntry(apps, realm.id, readEntryParams(params));
        if (entry.returnTo !== "app") return loginPage;
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
