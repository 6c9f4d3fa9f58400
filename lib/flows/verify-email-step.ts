import { AppError, isAppError } from "@/lib/errors";
import type { RequestContext } from "@/lib/events";
import type { Realm } from "@/lib/realms";
import type { User } from "@/lib/users";
import { readEntryParams, resolveEntry } from "./entry";
import type { Advance, LoginFlowDeps, LoginOutcome } from "./login-flows";
import type { PendingFlow } from "./pending-flows";
import { carriedState, owesVerification, pendingLinkOf } from "./pending-link";

/** What following a verification link did: finished this browser's login, or just confirmed. */
export type EmailConfirmation =
  | { kind: "login"; outcome: LoginOutcome }
  | {
      kind: "confirmed";
      email: string;
      /** The entry parameters the link carried: the confirmed page's way on to the app. */
      entry: Record<string, string>;
    };

/** The string values of a token's `data` (entry parameters); anything else is dropped. */
function stringParams(data: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(data).filter((pair): pair is [string, string] => typeof pair[1] === "string"),
  );
}

/**
 * The login's "confirm your email address" step (`/login/verify-email`), in `require` mode: the
 * login waits in a flow row (10 minutes) while the user opens the link (valid 24 hours). The link
 * opened in this browser finishes the login; opened elsewhere, it confirms the address and the step's
 * "Continue" button (or, after the flow expired, a new login) goes on from there.
 */
export function createVerifyEmailStep(deps: LoginFlowDeps, advance: Advance) {
  const { apps, users, pending, verification } = deps;

  /** The flow behind a cookie that waits for a verified address, with its user; null when none. */
  async function findVerifyStep(realm: Realm, flowSecret: string | undefined) {
    const flow = await pending.find(realm.id, flowSecret, "verify_email");
    if (!flow?.userId) return null;
    const user = await users.find(realm.id, flow.userId);
    if (user?.state !== "active") return null;
    return { flow, user };
  }

  /** Spends the flow (exactly once) and lets the login go on with the user as they now are. */
  async function resume(
    realm: Realm,
    flow: PendingFlow,
    user: User,
    context: RequestContext,
    previousSecret?: string,
  ): Promise<LoginOutcome> {
    // The app and return address are checked again: they may have changed in the meantime.
    const entry = await resolveEntry(apps, realm.id, readEntryParams(flow.data.entry ?? {}));
    if (!(await pending.spend(realm.id, flow.id))) throw new AppError("flow.invalid");
    return advance({ realm, entry, user, ...carriedState(flow) }, context, previousSecret);
  }

  return {
    /** For the step's page: the address waiting for its link, or null (no such live flow). */
    async verifyEmailStep(realm: Realm, flowSecret: string | undefined) {
      const found = await findVerifyStep(realm, flowSecret);
      return found ? { email: found.user.email } : null;
    },

    /**
     * "Send the link again": a fresh link (the previous one stops working), unless the address has
     * had its hourly share; the answer is the same either way, so the page cannot be used to learn
     * the budget or to flood an inbox.
     */
    async resendVerification(realm: Realm, flowSecret: string | undefined): Promise<void> {
      const found = await findVerifyStep(realm, flowSecret);
      if (!found) throw new AppError("flow.invalid");
      // The app only names itself in the email; one that went away leaves the email without it.
      const entry = await resolveEntry(apps, realm.id, readEntryParams(found.flow.data.entry ?? {})).catch(
        (error) => {
          if (isAppError(error)) return null;
          throw error;
        },
      );
      await verification.send(realm, found.user, {
        app: entry?.app ?? null,
        params: stringParams(found.flow.data.entry ?? {}),
      });
    },

    /**
     * "I have confirmed it, continue": the link was opened in another browser or device. Null while
     * the address is still unverified (the page says so); otherwise the login goes on.
     */
    async continueAfterVerification(
      realm: Realm,
      flowSecret: string | undefined,
      context: RequestContext,
      previousSecret?: string,
    ): Promise<LoginOutcome | null> {
      const found = await findVerifyStep(realm, flowSecret);
      if (!found) throw new AppError("flow.invalid");
      if (owesVerification(realm, found.user, pendingLinkOf(found.flow))) return null;
      return resume(realm, found.flow, found.user, context, previousSecret);
    },

    /**
     * Follows a verification link (`/verify-email`, after its confirm button): spends it and marks
     * the address verified (`email.link_invalid` when the link is no good). When this browser's
     * login waits on this very user's step, that login goes on at once, now with a verified address.
     */
    async confirmEmail(
      realm: Realm,
      linkSecret: unknown,
      flowSecret: string | undefined,
      context: RequestContext,
      previousSecret?: string,
    ): Promise<EmailConfirmation> {
      const { user, token } = await verification.confirm(realm, linkSecret, context);
      const found = await findVerifyStep(realm, flowSecret);
      if (found && found.user.id === user.id) {
        try {
          return { kind: "login", outcome: await resume(realm, found.flow, user, context, previousSecret) };
        } catch (error) {
          // The flow ran out or raced, or its app went away: the address is confirmed all the same.
          // A refused session (the realm's cap) is the login's own answer and is shown as such.
          if (!isAppError(error) || error.code === "session.limit_reached") throw error;
        }
      }
      return { kind: "confirmed", email: user.email, entry: stringParams(token.data) };
    },
  };
}
