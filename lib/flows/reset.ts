import { ALTCHA_FIELD } from "@/lib/bot-defence";
import { type EmailToken, TOKEN_MINUTES } from "@/lib/email";
import { AppError, isAppError, parseOrThrow } from "@/lib/errors";
import type { RequestContext } from "@/lib/events";
import { requirePasswordLogin } from "@/lib/passwords/password-login";
import type { Realm } from "@/lib/realms";
import { identityOfUser, newPasswordErrorsOfInput } from "@/lib/users";
import { type Entry, entryToParams, readEntryParams, resolveEntry } from "./entry";
import { choosePasswordFormSchema, forgotPasswordFormSchema } from "./forms";
import type { Advance, LoginFlowDeps, LoginOutcome } from "./login-flows";

/** A reset request that passed the checks every requester faces alike. */
export interface ResetRequest {
  /**
   * The part that depends on the account: look-up, per-recipient limit, link and email, event.
   * The page answers before running it (`after()`), so the answer's time says nothing either.
   */
  deliver(): Promise<void>;
}

/** Where a reset ends when the link's app can no longer be resolved: the realm's own profile. */
const PROFILE_ENTRY: Entry = {
  returnTo: "profile",
  app: null,
  redirectUri: null,
  state: undefined,
  redir: undefined,
  forceLogin: false,
};

/**
 * Password reset by email (`/forgot`, `/reset`): one answer for every address, a one-time link built
 * from the realm's configured URL, and a reset that ends every session of the user and then logs
 * in through the one login flow (DESIGN section 2.1), so the realm's later steps still apply.
 */
export function createPasswordReset(deps: LoginFlowDeps, advance: Advance) {
  const { users, events, throttle, emailTokens, mailer, sessions, apps } = deps;

  /** The live link behind a secret and its (still active) user, or null. */
  async function findReset(realm: Realm, secret: unknown) {
    const token = await emailTokens.peek(realm.id, "password_reset", secret);
    if (!token) return null;
    const user = await users.find(realm.id, token.userId);
    if (user?.state !== "active") return null;
    return { token, user };
  }

  /**
   * The entry the request came with, checked again now: the app or its addresses may have changed
   * in the hour since. If it no longer resolves, the reset still happens and ends on the profile.
   */
  async function entryOfLink(realm: Realm, token: EmailToken): Promise<Entry> {
    const params = token.data.entry;
    try {
      return await resolveEntry(
        apps,
        realm.id,
        readEntryParams(
          typeof params === "object" && params !== null ? (params as Record<string, unknown>) : {},
        ),
      );
    } catch (error) {
      if (isAppError(error)) return PROFILE_ENTRY;
      throw error;
    }
  }

  return {
    /**
     * The entry of `/forgot`, checked like `/login`'s; except that a bare `/forgot` (no parameters:
     * typed, or from an expired link's page) in a realm with several apps or none leads to the
     * profile instead of an error page, so the way back in never dead-ends.
     */
    async resetEntry(realm: Realm, params: Record<string, unknown>): Promise<Entry> {
      const read = readEntryParams(params);
      try {
        return await resolveEntry(apps, realm.id, read);
      } catch (error) {
        const bare = Object.keys(read).length === 0;
        if (bare && isAppError(error) && (error.code === "app.ambiguous" || error.code === "app.none"))
          return PROFILE_ENTRY;
        throw error;
      }
    },

    /**
     * "Forgot your password?": the form, the anti-robot check and the per-address limit answer
     * alike for every email address; what depends on the account waits in `deliver`.
     */
    async requestPasswordReset(
      realm: Realm,
      entry: Entry,
      input: unknown,
      context: RequestContext,
    ): Promise<ResetRequest> {
      requirePasswordLogin(realm);
      const fields: Record<string, unknown> = typeof input === "object" && input !== null ? { ...input } : {};
      const form = parseOrThrow(forgotPasswordFormSchema, fields);
      await deps.altcha.guard(realm, fields[ALTCHA_FIELD]);
      const appId = entry.app?.id ?? null;
      const record = (userId: string | null, data: Record<string, unknown>) =>
        events.record({
          realmId: realm.id,
          type: "user.password_reset_requested",
          userId,
          appId,
          context,
          data,
        });
      // Keyed by the address alone, so the refusal says nothing about the account.
      if (!(await throttle.resetAllowed(realm, context.ip))) {
        await record(null, { sent: false, reason: "ip_limited" });
        throw new AppError("rate.limited");
      }
      return {
        async deliver() {
          const found = await users.findForLogin(realm.id, form.email);
          const user = found?.user;
          if (!user) return record(null, { sent: false, reason: "unknown_user" });
          // An account that may not log in gets no link (Keycloak does the same for a disabled user).
          if (user.state !== "active") return record(user.id, { sent: false, reason: "inactive" });
          if (!(await throttle.recipientAllowed(realm, user.email)))
            return record(user.id, { sent: false, reason: "recipient_limited" });
          // Not one transaction: the mailer reads the realm's template outside it (on PGlite's one
          // connection that would wait forever). A link whose email failed to queue reached no one.
          const { secret } = await emailTokens.issue({
            realmId: realm.id,
            userId: user.id,
            purpose: "password_reset",
            email: user.email,
            // The entry rides in the row, not in the link: the URL carries the secret alone.
            data: { entry: entryToParams(entry) },
          });
          await mailer.send({
            realm,
            template: "password_reset",
            to: user.email,
            user,
            app: entry.app,
            vars: {
              link: `${deps.realmUrl(realm)}/reset?token=${secret}`,
              expires_in_minutes: TOKEN_MINUTES.password_reset,
            },
          });
          // A user without a password (invited, imported without one) sets their first one this way.
          await record(user.id, { sent: true, had_password: Boolean(found.hash) });
        },
      };
    },

    /** For the reset page: whose password the link resets, or null (unknown, expired, used). */
    async passwordResetLink(realm: Realm, secret: unknown): Promise<{ email: string } | null> {
      const found = await findReset(realm, secret);
      return found ? { email: found.user.email } : null;
    },

    /**
     * Sets the new password under the realm's policy and spends the link in the password's own
     * transaction: a refused password leaves the link usable, and of concurrent posts exactly one
     * wins. Then every session of the user ends, the address counts as verified (the link proved
     * it), the account's failed-login counters are cleared (they guarded the old password), and
     * the login goes on through the flow's remaining steps.
     */
    async resetPassword(
      realm: Realm,
      secret: unknown,
      input: unknown,
      context: RequestContext,
      previousSecret?: string,
    ): Promise<LoginOutcome> {
      // Links mailed before the realm went social-only stop working (unspent) while it stays so.
      requirePasswordLogin(realm);
      const found = await findReset(realm, secret);
      if (!found) throw new AppError("reset.link_invalid");
      const { token, user } = found;
      const form = parseOrThrow(
        choosePasswordFormSchema({
          passwordMin: realm.settings.password_min_length,
          passwordMax: realm.settings.password_max_length,
        }),
        input,
        newPasswordErrorsOfInput(realm, input, identityOfUser(user)),
      );
      const entry = await entryOfLink(realm, token);
      const hadPassword = (await users.passwordStatus(realm.id, user.id)) !== null;
      let verified = false;
      await users.setPassword(realm, user.id, form.password, {
        withinTransaction: async (tx) => {
          const spent = await emailTokens.consume(realm.id, "password_reset", secret, tx);
          if (spent?.id !== token.id) throw new AppError("reset.link_invalid");
          // The link proved the address: verified now, if it was not (and the address is still the one mailed).
          verified =
            !user.emailVerified &&
            (await users.markEmailVerified(realm.id, user.id, spent.email, tx)) !== null;
        },
      });
      const ended = await sessions.endAll(realm.id, user.id, null);
      for (const session of ended) {
        await events.record({
          realmId: realm.id,
          type: "session.ended",
          userId: user.id,
          sessionId: session.id,
          context,
          data: { via: "reset", reason: "password_reset" },
        });
      }
      await throttle.clearAccount(realm.id, user.id);
      await events.record({
        realmId: realm.id,
        type: "user.password_reset",
        userId: user.id,
        appId: entry.app?.id ?? null,
        context,
        data: { had_password: hadPassword, email_verified: verified, sessions_ended: ended.length },
      });
      // Read again: the token's `email_verified` claim must see the change just made.
      const fresh = await users.get(realm.id, user.id);
      return advance(
        { realm, entry, user: fresh, amr: ["pwd"], isSignup: false, passwordChange: null },
        context,
        previousSecret,
      );
    },
  };
}
