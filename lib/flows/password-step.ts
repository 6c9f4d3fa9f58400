import { AppError, parseOrThrow } from "@/lib/errors";
import type { RequestContext } from "@/lib/events";
import type { PasswordChangeReason } from "@/lib/passwords/expiry";
import { requirePasswordLogin } from "@/lib/passwords/password-login";
import type { Realm } from "@/lib/realms";
import { identityOfUser, newPasswordErrorsOfInput } from "@/lib/users";
import { readEntryParams, resolveEntry } from "./entry";
import { choosePasswordFormSchema } from "./forms";
import type { Advance, LoginFlowDeps, LoginOutcome } from "./login-flows";
import { carriedState } from "./pending-link";

/**
 * The login's "choose a new password" step (`/login/password`): a login whose password expired, or
 * whose user an admin marked, waits here in a flow row until a new password passes the policy.
 */
export function createPasswordStep(deps: LoginFlowDeps, advance: Advance) {
  const { apps, users, sessions, events, pending } = deps;

  /** The flow behind a cookie that waits for a new password, with its user; null when there is none. */
  async function findPasswordStep(realm: Realm, flowSecret: string | undefined) {
    const flow = await pending.find(realm.id, flowSecret, "change_password");
    if (!flow?.userId) return null;
    const user = await users.find(realm.id, flow.userId);
    if (user?.state !== "active") return null;
    const reason: PasswordChangeReason = flow.data.reason === "expired" ? "expired" : "required";
    return { flow, user, reason };
  }

  return {
    /** For the step's page: who must choose a new password and why, or null (no such live flow). */
    async passwordStep(realm: Realm, flowSecret: string | undefined) {
      const found = await findPasswordStep(realm, flowSecret);
      return found ? { email: found.user.email, reason: found.reason } : null;
    },

    /**
     * The "choose a new password" step: sets the password under the realm's policy, ends every
     * other session of the user, spends the flow (exactly once) and goes on with the login (the
     * next step, if the realm requires one, else the app).
     */
    async choosePassword(
      realm: Realm,
      flowSecret: string | undefined,
      input: unknown,
      context: RequestContext,
      previousSecret?: string,
    ): Promise<LoginOutcome> {
      requirePasswordLogin(realm);
      const found = await findPasswordStep(realm, flowSecret);
      if (!found) throw new AppError("flow.invalid");
      const { flow, user, reason } = found;
      const form = parseOrThrow(
        choosePasswordFormSchema({
          passwordMin: realm.settings.password_min_length,
          passwordMax: realm.settings.password_max_length,
        }),
        input,
        // Every rule at once: the policy's errors join the length check's.
        newPasswordErrorsOfInput(realm, input, identityOfUser(user)),
      );
      // The app and return address are checked again: they may have changed in the meantime.
      const entry = await resolveEntry(apps, realm.id, readEntryParams(flow.data.entry ?? {}));
      // The flow is spent in the password's own transaction: of two racing posts exactly one changes
      // the password and logs in; the other changes nothing.
      await users.setPassword(realm, user.id, form.password, {
        withinTransaction: async (tx) => {
          if (!(await pending.spend(realm.id, flow.id, tx))) throw new AppError("flow.invalid");
        },
      });
      await sessions.endOthers(realm.id, user.id, null);
      await events.record({
        realmId: realm.id,
        type: "user.password_changed",
        userId: user.id,
        appId: entry.app?.id ?? null,
        context,
        data: { reason },
      });
      return advance({ realm, entry, user, ...carriedState(flow) }, context, previousSecret);
    },
  };
}
