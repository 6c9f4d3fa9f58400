import { sendSecurityNotice } from "@/lib/email/security-notices";
import { AppError, isAppError, parseOrThrow } from "@/lib/errors";
import type { RequestContext } from "@/lib/events";
import type { PasswordChangeReason } from "@/lib/passwords/expiry";
import type { Realm } from "@/lib/realms";
import type { User } from "@/lib/users";
import { readEntryParams, resolveEntry } from "./entry";
import { recoveryCodeFormSchema, totpCodeFormSchema } from "./forms";
import type { Advance, LoginFlowDeps, LoginOutcome } from "./login-flows";
import type { PendingFlow, PendingStep } from "./pending-flows";
import { carriedState } from "./pending-link";

/** How many codes one login flow may try; the fifth wrong one voids the flow. */
export const FLOW_CODE_ATTEMPTS = 5;

/** A code from the authenticator app, or one of the recovery codes. */
export type SecondFactorMethod = "totp" | "recovery_code";

/**
 * What each method adds to the login's `amr` (the token's claim lists what was proven). A recovery
 * code is a one-time password in RFC 8176's sense, so it adds `otp` too: an app that requires a
 * second factor accepts the login. It also adds `rc`, so that an app (or an auditor) can tell a
 * login that spent a recovery code: the user may have lost their authenticator.
 */
export const AMR_OF: Record<SecondFactorMethod, readonly string[]> = {
  totp: ["otp"],
  recovery_code: ["otp", "rc"],
};

/** Why a code was refused (`user.mfa_failed` events). */
type FailureReason = "wrong_code" | "replayed" | "locked";

/**
 * The flow is used up: five codes failed. The browser goes back to the login page (its flow cookie
 * cleared) with `notice=mfa_failed`, which the page turns into a fixed message.
 */
export interface FlowVoided {
  kind: "voided";
  redirectUrl: string;
}

/** The password change a flow still owes (kept in its data by `advance`), if any. */
function passwordChangeOf(flow: PendingFlow): PasswordChangeReason | null {
  const reason = flow.data.reason;
  return reason === "expired" || reason === "required" ? reason : null;
}

function withAmr(amr: readonly string[], added: readonly string[]): string[] {
  return [...amr, ...added.filter((value) => !amr.includes(value))];
}

/** The string values of the flow's entry parameters (to go back to the same login page). */
function entryQuery(flow: PendingFlow): string {
  const params = Object.entries(flow.data.entry ?? {}).filter(
    (pair): pair is [string, string] => typeof pair[1] === "string",
  );
  return new URLSearchParams([...params, ["notice", "mfa_failed"]]).toString();
}

/** The flow behind a cookie whose next step is `step`, with its (active) user; null when none. */
async function findStep(
  deps: LoginFlowDeps,
  realm: Realm,
  flowSecret: string | undefined,
  step: PendingStep,
) {
  const flow = await deps.pending.find(realm.id, flowSecret, step);
  if (!flow?.userId) return null;
  const user = await deps.users.find(realm.id, flow.userId);
  if (user?.state !== "active") return null;
  return { flow, user };
}

/**
 * The login's second-factor step (`/login/verify`): a user with a confirmed authenticator app
 * proves it with a code of the app or a recovery code before anything else happens (DESIGN
 * section 2.1). Failure rules:
 * - per flow: at most FLOW_CODE_ATTEMPTS codes are looked at; the fifth failure voids the flow and
 *   the user starts again from the login page;
 * - per user, across flows (lib/throttle/second-factor.ts): ten consecutive failures lock second-
 *   factor attempts for 15 minutes; while locked every code is refused exactly like a wrong one,
 *   without being looked at (no time step or recovery code is spent);
 * - each time step of the app counts once (lib/mfa: no replay, also under concurrency).
 */
export function createSecondFactorStep(deps: LoginFlowDeps, advance: Advance) {
  const { apps, pending, events, throttle, mfa } = deps;
  // Not a React hook, whatever the linter makes of its name (lib/mfa uses no `this`).
  const spendRecoveryCode = mfa.useRecoveryCode;

  /** Judges one code, unless the user's attempts are locked. */
  async function check(
    realm: Realm,
    user: User,
    method: SecondFactorMethod,
    code: string,
    locked: boolean,
  ): Promise<FailureReason | null> {
    if (locked) {
      // Costs what a wrong code costs (the credential read and its decryption, or the lookup of a
      // recovery code that does not exist), so that the lock does not show in the timing either.
      if (method === "totp") await mfa.checkTotp(realm.id, user.id, "");
      else await spendRecoveryCode(realm.id, user.id, "0000-0000-0000-0000");
      return "locked";
    }
    if (method === "recovery_code")
      return (await spendRecoveryCode(realm.id, user.id, code)) ? null : "wrong_code";
    const result = await mfa.checkTotp(realm.id, user.id, code);
    return result === "ok" ? null : result === "replayed" ? "replayed" : "wrong_code";
  }

  return {
    /** For the step's page: whose code is asked for, or null (no such live flow). */
    async secondFactorStep(realm: Realm, flowSecret: string | undefined) {
      const found = await findStep(deps, realm, flowSecret, "second_factor");
      return found ? { email: found.user.email } : null;
    },

    /**
     * A code of the authenticator app (`totp`) or a recovery code. Right: the step is done and the
     * login goes on (`amr` + `otp`, see AMR_OF). Wrong, replayed or locked: the field error
     * `mfa.code_invalid` (`mfa.recovery_code_invalid`), the same for all three; the flow's fifth
     * failure instead voids it (`FlowVoided`).
     */
    async verifySecondFactor(
      realm: Realm,
      flowSecret: string | undefined,
      method: SecondFactorMethod,
      input: unknown,
      context: RequestContext,
      previousSecret?: string,
    ): Promise<LoginOutcome | FlowVoided> {
      const found = await findStep(deps, realm, flowSecret, "second_factor");
      if (!found) throw new AppError("flow.invalid");
      const { flow, user } = found;
      const field = method === "totp" ? "code" : "recovery_code";
      // An empty or oversized field is a form error, not a try: nothing is counted.
      const code =
        method === "totp"
          ? parseOrThrow(totpCodeFormSchema, input).code
          : parseOrThrow(recoveryCodeFormSchema, input).recovery_code;
      // The app and return address are checked again: they may have changed in the meantime.
      const entry = await resolveEntry(apps, realm.id, readEntryParams(flow.data.entry ?? {}));
      const appId = entry.app?.id ?? null;
      const voided: FlowVoided = {
        kind: "voided",
        redirectUrl: `${deps.realmUrl(realm)}/login?${entryQuery(flow)}`,
      };
      const failed = (data: Record<string, unknown>) =>
        events.record({
          realmId: realm.id,
          type: "user.mfa_failed",
          userId: user.id,
          appId,
          context,
          data: { method, ...data },
        });

      // Each try takes a numbered slot of the flow first, atomically: however many arrive at once,
      // at most FLOW_CODE_ATTEMPTS are looked at. Later ones meet a flow that has had its tries.
      const attempt = await pending.bump(realm.id, flow.id, "mfa_attempts");
      if (attempt === null) throw new AppError("flow.invalid");
      if (attempt > FLOW_CODE_ATTEMPTS) {
        await failed({ reason: "flow_voided", attempt });
        return voided;
      }

      const reservation = await throttle.reserveSecondFactor(realm.id, user.id);
      const failure = await check(realm, user, method, code, reservation.refusal !== null);

      if (!failure) {
        await reservation.succeeded();
        if (!(await pending.spend(realm.id, flow.id))) throw new AppError("flow.invalid");
        return advance(
          {
            realm,
            entry,
            user,
            ...carriedState(flow),
            amr: withAmr(flow.amr, AMR_OF[method]),
            passwordChange: passwordChangeOf(flow),
          },
          context,
          previousSecret,
        );
      }

      // Only failures are counted here, so the flow is voided when all of its tries failed, never
      // while a right code (one of the same tries) is still finishing the login.
      const failures = await pending.bump(realm.id, flow.id, "mfa_failures");
      const voids = failures !== null && failures >= FLOW_CODE_ATTEMPTS;
      if (voids) await pending.spend(realm.id, flow.id);
      await failed({ reason: failure, attempt, ...(voids ? { flow_voided: true } : {}) });
      // The tenth failure in a row locks the user's second-factor attempts (a right code would
      // have taken the lock back: see lib/throttle/second-factor.ts).
      if (reservation.lockStarted) {
        await events.record({
          realmId: realm.id,
          type: "user.mfa_locked",
          userId: user.id,
          appId,
          context,
          data: {
            until: reservation.lockStarted.until.toISOString(),
            failures: reservation.lockStarted.failures,
          },
        });
      }
      if (voids) return voided;
      throw AppError.field(method === "totp" ? "mfa.code_invalid" : "mfa.recovery_code_invalid", field);
    },
  };
}

/** What the enrolment page shows: the key to scan, or "set up" once the code confirmed it. */
export type EnrolmentView =
  | { kind: "setup"; email: string; secret: string; uri: string }
  | { kind: "confirmed"; email: string };

/**
 * Enrolment during login (`/login/enrol-2fa`): the realm's policy requires a second factor and the
 * user has none. The page shows a QR code and the key (issuer = realm name, account = the user's
 * email); a code from the app confirms it (the flow's `amr` gains `otp`: the user just proved the
 * app), then the ten recovery codes are shown once, and "I have saved these codes" goes on to the
 * app. No token before all that.
 */
export function createEnrolSecondFactorStep(deps: LoginFlowDeps, advance: Advance) {
  const { apps, pending, events, mfa } = deps;
  const labelsOf = (realm: Realm, user: User) => ({ issuer: realm.name, account: user.email });

  return {
    /**
     * For the step's page. The key shown stays the same while this flow lasts (a reload shows the
     * same QR code); a new flow, or an older enrolment left unconfirmed elsewhere, gets a new key.
     */
    async enrolmentStep(realm: Realm, flowSecret: string | undefined): Promise<EnrolmentView | null> {
      const found = await findStep(deps, realm, flowSecret, "enrol_second_factor");
      if (!found) return null;
      const { flow, user } = found;
      if (flow.data.mfa_enrolled === true || (await mfa.status(realm.id, user.id)).enabled)
        return { kind: "confirmed", email: user.email };
      const labels = labelsOf(realm, user);
      const origin = `flow:${flow.id}`;
      const started = await mfa.pendingEnrolment(realm.id, user.id, labels, origin);
      if (started && started.startedAt.getTime() >= flow.createdAt.getTime())
        return { kind: "setup", email: user.email, secret: started.secret, uri: started.uri };
      try {
        const begun = await mfa.beginEnrolment(realm.id, user.id, labels, origin);
        return { kind: "setup", email: user.email, secret: begun.secret, uri: begun.uri };
      } catch (error) {
        // Confirmed in another tab a moment ago: the page offers to continue.
        if (isAppError(error) && error.code === "mfa.already_enabled")
          return { kind: "confirmed", email: user.email };
        throw error;
      }
    },

    /**
     * The code of the new app: 2FA is on, and the recovery codes come back (shown once, stored
     * hashed). A wrong code is a field error `mfa.code_invalid` and changes nothing.
     */
    async confirmEnrolmentStep(
      realm: Realm,
      flowSecret: string | undefined,
      input: unknown,
      context: RequestContext,
    ): Promise<string[]> {
      const found = await findStep(deps, realm, flowSecret, "enrol_second_factor");
      if (!found || found.flow.data.mfa_enrolled === true) throw new AppError("flow.invalid");
      const { flow, user } = found;
      const { code } = parseOrThrow(totpCodeFormSchema, input);
      const codes = await mfa.confirmEnrolment(realm.id, user.id, code, `flow:${flow.id}`);
      // The flow remembers the proof. Should it have run out meanwhile, the app is on all the same
      // and the codes are valid: they are shown, and the next login asks for a code.
      await pending.record(realm.id, flow.id, {
        amr: "otp",
        data: { mfa_enrolled: true },
        unless: "mfa_enrolled",
      });
      await events.record({
        realmId: realm.id,
        type: "user.mfa_enabled",
        userId: user.id,
        appId: flow.appId,
        context,
        data: { via: "login", method: "totp", recovery_codes: codes.length },
      });
      // As on the profile: whoever knows the password could enrol their own app here.
      await sendSecurityNotice(deps, realm, user, "mfa_enabled", context);
      return codes;
    },

    /** "I have saved these codes": the step is done and the login goes on (to the app, usually). */
    async continueAfterEnrolment(
      realm: Realm,
      flowSecret: string | undefined,
      context: RequestContext,
      previousSecret?: string,
    ): Promise<LoginOutcome> {
      const found = await findStep(deps, realm, flowSecret, "enrol_second_factor");
      if (!found) throw new AppError("flow.invalid");
      const { flow, user } = found;
      // Only after the code confirmed the app (here, or in another tab: then `advance` asks for a
      // code of it, since this flow has not proven one).
      if (flow.data.mfa_enrolled !== true && !(await mfa.status(realm.id, user.id)).enabled)
        throw new AppError("mfa.enrolment_missing");
      const entry = await resolveEntry(apps, realm.id, readEntryParams(flow.data.entry ?? {}));
      if (!(await pending.spend(realm.id, flow.id))) throw new AppError("flow.invalid");
      return advance(
        {
          realm,
          entry,
          user,
          ...carriedState(flow),
          passwordChange: passwordChangeOf(flow),
        },
        context,
        previousSecret,
      );
    },
  };
}
