import type { Clock } from "@/lib/clock";
import type { Mailer } from "@/lib/email";
import { type SecurityNotice, sendSecurityNotice } from "@/lib/email/security-notices";
import { AppError, parseOrThrow } from "@/lib/errors";
import type { Events, RequestContext } from "@/lib/events";
import type { Enrolment, Mfa, MfaStatus } from "@/lib/mfa";
import type { Realm } from "@/lib/realms";
import type { Session, Sessions } from "@/lib/sessions";
import { type Throttle, throttleKeys } from "@/lib/throttle";
import type { User, Users } from "@/lib/users";
import type { CheckCurrentPassword } from "./current-password";
import { confirmPasswordFormSchema, disableMfaFormSchema, totpConfirmFormSchema } from "./forms";
import { createRecentAuth, type ReauthMethod } from "./recent-auth";

/**
 * Guesses at a code on the profile's "Turn off" form: at most this many per user in the window,
 * then every further attempt fails like a wrong code, unevaluated. A code is 1 in 10^6 per try
 * (3 steps accepted: 3 in 10^6), so 10 per 15 minutes leaves a thief with a recent password about
 * 1 in 33,000 per window; the login's own second-factor lock is separate.
 */
export const PROFILE_CODE_ATTEMPTS = 10;
export const PROFILE_CODE_WINDOW_SECONDS = 15 * 60;

/** What the profile shows about the user's 2FA, for this session. */
export interface TwoFactorView extends MfaStatus {
  /** Until when this session's recent proof allows changes; null: it must prove it is the user first. */
  recentUntil: Date | null;
  /** How it proves that: the current password, or signing in again (no usable password). */
  reauth: ReauthMethod;
  /** A setup begun and not confirmed yet: its key again (only to a session with a recent password). */
  pending: Enrolment | null;
}

/** Who reset a user's 2FA through the management API: the key, and where the call came from. */
export interface ApiActor {
  via: "api";
  key: string;
  context?: RequestContext;
}

export interface TwoFactorDeps {
  clock: Clock;
  users: Users;
  mfa: Mfa;
  events: Events;
  mailer: Mailer;
  throttle: Throttle;
  checkCurrentPassword: CheckCurrentPassword;
  sessions: Pick<Sessions, "addAmr" | "endOthers">;
  /** Ends all the user's sessions, each with a `session.ended` event; returns how many. */
  endAllSessions(realmId: string, userId: string, actor: ApiActor, reason: string): Promise<number>;
  log?: (line: string, error: unknown) => void;
}

/** The labels an authenticator app shows for the account: the realm's name and the user's email. */
const labelsOf = (realm: Realm, user: User) => ({ issuer: realm.name, account: user.email });

/**
 * Self-service two-step verification on the profile (issue 5, item 1), and its admin side (item
 * 4). Every change needs a recent password in this session (./recent-auth.ts); turning it off
 * also needs a current code or a recovery code. Each change is an event and an email to the user.
 */
/** A setup on the profile belongs to the session that started it (lib/mfa/mfa.ts pendingContext). */
const originOf = (session: Session) => `session:${session.id}`;

export function createTwoFactor(deps: TwoFactorDeps) {
  const { clock, users, mfa, events } = deps;
  const log = deps.log ?? ((line, error) => console.error(line, error));
  // Renamed: the linter takes `use…` calls for React hooks.
  const spendRecoveryCode = mfa.useRecoveryCode;

  const recentAuth = createRecentAuth({ users, clock });

  const notify = (realm: Realm, user: User, template: SecurityNotice, context?: RequestContext) =>
    sendSecurityNotice(
      { mailer: deps.mailer, log: (line) => log(line, undefined) },
      realm,
      user,
      template,
      context,
    );

  /** One try at a code of the "Turn off" form, counted before it is evaluated. */
  async function checkCode(
    realm: Realm,
    session: Session,
    form: { code: string; recovery_code: string },
    context: RequestContext,
  ): Promise<"otp" | "recovery_code"> {
    const method = form.recovery_code ? "recovery_code" : "otp";
    const attempt = await deps.throttle.hit(
      realm.id,
      throttleKeys.mfaProfile(session.userId),
      PROFILE_CODE_ATTEMPTS,
      PROFILE_CODE_WINDOW_SECONDS,
    );
    let ok = false;
    if (attempt.allowed && method === "otp") ok = await mfa.verifyTotp(realm.id, session.userId, form.code);
    else if (attempt.allowed) ok = await spendRecoveryCode(realm.id, session.userId, form.recovery_code);
    if (ok) return method;
    await events.record({
      realmId: realm.id,
      type: "user.login_failed",
      userId: session.userId,
      sessionId: session.id,
      context,
      data: { reason: attempt.allowed ? "wrong_code" : "rate_limited", method, via: "profile" },
    });
    // Wrong, replayed, spent or refused: one answer, on the field that was used.
    throw method === "recovery_code"
      ? AppError.field("mfa.recovery_code_invalid", "recovery_code")
      : AppError.field("mfa.code_invalid", "code");
  }

  return {
    /** The profile's section: status, whether changes are allowed now, and a setup in progress. */
    async twoFactorView(realm: Realm, session: Session): Promise<TwoFactorView> {
      const status = await mfa.status(realm.id, session.userId);
      const recent = await recentAuth.status(realm, session);
      let pending: Enrolment | null = null;
      if (recent.until && !status.enabled) {
        const user = await users.get(realm.id, session.userId);
        const found = await mfa.pendingEnrolment(realm.id, user.id, labelsOf(realm, user), originOf(session));
        pending = found ? { secret: found.secret, uri: found.uri } : null;
      }
      return { ...status, recentUntil: recent.until, reauth: recent.method, pending };
    },

    /**
     * "Confirm your password": the current password (throttled like a login, ./current-password.ts)
     * starts a new recent-authentication window for this session.
     */
    async confirmPassword(
      realm: Realm,
      session: Session,
      input: unknown,
      context: RequestContext,
    ): Promise<void> {
      const form = parseOrThrow(confirmPasswordFormSchema(), input);
      await deps.checkCurrentPassword(realm, session, form.current_password, context);
    },

    /** "Set up": a new key, unconfirmed until a code from the app confirms it. */
    async beginMfaEnrolment(realm: Realm, session: Session): Promise<Enrolment> {
      await recentAuth.require(realm, session);
      const user = await users.get(realm.id, session.userId);
      return mfa.beginEnrolment(realm.id, user.id, labelsOf(realm, user), originOf(session));
    },

    /**
     * "Confirm" the setup with a code from the app: 2FA is on, and the recovery codes come back
     * (shown once, stored hashed). The code can only be known to someone who was shown the key,
     * which takes a recent password; so confirming itself does not ask for one again (the window
     * may close while a person finds their phone). A wrong code changes nothing.
     */
    async confirmMfaEnrolment(
      realm: Realm,
      session: Session,
      input: unknown,
      context: RequestContext,
    ): Promise<string[]> {
      const form = parseOrThrow(totpConfirmFormSchema(), input);
      const user = await users.get(realm.id, session.userId);
      const codes = await mfa.confirmEnrolment(realm.id, user.id, form.code, originOf(session));
      // This session has just proven the app; every other session of the user has not, and ends.
      await deps.sessions.addAmr(realm.id, session.id, "otp");
      await deps.sessions.endOthers(realm.id, user.id, session.id);
      const emailed = await notify(realm, user, "mfa_enabled", context);
      await events.record({
        realmId: realm.id,
        type: "user.mfa_enabled",
        userId: user.id,
        sessionId: session.id,
        context,
        data: { via: "profile", method: "totp", recovery_codes: codes.length, email_sent: emailed },
      });
      return codes;
    },

    /** "Cancel" a setup in progress: its key is forgotten. */
    async cancelMfaEnrolment(realm: Realm, session: Session): Promise<void> {
      await recentAuth.require(realm, session);
      await mfa.cancelEnrolment(realm.id, session.userId);
    },

    /** "Regenerate recovery codes": ten new ones, shown once; the old ones stop working. */
    async regenerateRecoveryCodes(realm: Realm, session: Session, context: RequestContext) {
      await recentAuth.require(realm, session);
      const codes = await mfa.regenerateRecoveryCodes(realm.id, session.userId);
      await events.record({
        realmId: realm.id,
        type: "user.recovery_codes_regenerated",
        userId: session.userId,
        sessionId: session.id,
        context,
        data: { via: "profile", recovery_codes: codes.length },
      });
      return codes;
    },

    /**
     * "Turn off": a recent password and a current code of the app (each time step once) or one of
     * the recovery codes. The app and the recovery codes are deleted; the user is told by email.
     */
    async disableMfa(realm: Realm, session: Session, input: unknown, context: RequestContext): Promise<void> {
      await recentAuth.require(realm, session);
      const form = parseOrThrow(disableMfaFormSchema(), input);
      const user = await users.get(realm.id, session.userId);
      if (!(await mfa.status(realm.id, user.id)).enabled) throw new AppError("mfa.not_enabled");
      const method = await checkCode(realm, session, form, context);
      await mfa.disable(realm.id, user.id);
      const emailed = await notify(realm, user, "mfa_disabled", context);
      await events.record({
        realmId: realm.id,
        type: "user.mfa_disabled",
        userId: user.id,
        sessionId: session.id,
        context,
        data: { via: "profile", method, email_sent: emailed },
      });
    },

    /** The admin's view of a user's 2FA (404 `user.not_found` for a user of another realm). */
    async mfaStatusOf(realmId: string, userId: string): Promise<MfaStatus & { userId: string }> {
      const user = await users.get(realmId, userId);
      return { userId: user.id, ...(await mfa.status(realmId, user.id)) };
    },

    /**
     * An administrator resets a user's 2FA (lost device, no recovery codes): the app and the
     * recovery codes go, an unfinished setup too, and every session of the user ends, since the
     * account is weaker now than when they were opened. The user is told by email. Throws
     * `mfa.not_enabled` (404) when 2FA was not on: nothing to reset.
     */
    async resetMfa(realm: Realm, userId: string, actor: ApiActor): Promise<{ endedSessions: number }> {
      const user = await users.get(realm.id, userId);
      if (!(await mfa.disable(realm.id, user.id))) throw new AppError("mfa.not_enabled");
      const endedSessions = await deps.endAllSessions(realm.id, user.id, actor, "mfa_reset");
      const emailed = await notify(realm, user, "mfa_reset");
      await events.record({
        realmId: realm.id,
        type: "user.mfa_reset",
        userId: user.id,
        context: actor.context,
        data: { via: "api", key: actor.key, ended_sessions: endedSessions, email_sent: emailed },
      });
      return { endedSessions };
    },
  };
}

export type TwoFactor = ReturnType<typeof createTwoFactor>;
