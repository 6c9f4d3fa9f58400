import { z } from "zod";
import type { Apps } from "@/lib/apps";
import type { Clock } from "@/lib/clock";
import type { Db } from "@/lib/db";
import type { EmailToken, EmailTokens, Mailer } from "@/lib/email";
import { TOKEN_MINUTES } from "@/lib/email";
import { AppError, parseOrThrow } from "@/lib/errors";
import type { Events, RequestContext } from "@/lib/events";
// Not the flows' index: lib/flows itself depends on this module.
import { entryToParams, readEntryParams, resolveEntry } from "@/lib/flows/entry";
import type { Realm } from "@/lib/realms";
import type { Throttle } from "@/lib/throttle";
import type { User, Users } from "@/lib/users";

/** The app a link leads back to (for the email's wording) and the entry parameters it carries. */
export interface LinkEntry {
  app: { name: string } | null;
  params: Record<string, string>;
}

/** A link in an email sent with no way back to an app (the profile, an admin without `client_id`). */
export const NO_ENTRY: LinkEntry = { app: null, params: {} };

/**
 * How long after one verification email the login step refrains from sending another by itself
 * (a signup sends one, then its login waits on the step at once; a user who logs in again a minute
 * later still has the first in their inbox). The step's "Send the link again" button ignores it.
 */
export const QUIET_SECONDS = 5 * 60;

/** In `require` mode an unverified user gets no token: the login waits on the `verify_email` step. */
export function needsVerification(realm: Realm, user: Pick<User, "emailVerified">): boolean {
  return realm.settings.email_verification === "require" && !user.emailVerified;
}

/** `POST …/users/{id}/verification_email`: optionally the app the confirmed page leads back to. */
const adminSendSchema = z.strictObject({
  client_id: z.string().max(64).optional(),
  redirect_uri: z.string().max(2048).optional(),
});

export interface EmailVerificationDeps {
  db: Db;
  clock: Clock;
  users: Users;
  apps: Apps;
  mailer: Mailer;
  emailTokens: EmailTokens;
  throttle: Throttle;
  events: Events;
  realmUrl: (realm: Pick<Realm, "slug">) => string;
}

/**
 * Email verification (DESIGN section 7, `email_verification`): one-time links to the user's
 * address, `verify_email` tokens valid 24 hours, and the per-recipient hourly budget
 * (`email_per_recipient_per_hour`) shared by every email with a link to one address.
 */
export function createEmailVerification(deps: EmailVerificationDeps) {
  const { db, clock, users, mailer, emailTokens, throttle, events } = deps;

  /** Issues a link to the user's current address and queues the email (inside `tx` when given). */
  async function queue(realm: Realm, user: User, via: LinkEntry, tx?: Db): Promise<EmailToken> {
    const { token, secret } = await emailTokens.issue(
      { realmId: realm.id, userId: user.id, purpose: "verify_email", email: user.email, data: via.params },
      tx,
    );
    await mailer.send(
      {
        realm,
        template: "verify_email",
        to: user.email,
        user,
        app: via.app,
        vars: {
          // The realm's configured URL, never the request's Host header.
          link: `${deps.realmUrl(realm)}/verify-email?token=${secret}`,
          expires_in_minutes: TOKEN_MINUTES.verify_email,
        },
      },
      tx,
    );
    return token;
  }

  /** Counts one email to `address` against the realm's hourly budget per recipient; false when over. */
  async function countRecipient(realm: Realm, address: string): Promise<boolean> {
    return throttle.recipientAllowed(realm, address);
  }

  return {
    queue,
    countRecipient,

    /**
     * Sends a fresh link (voiding the previous one) unless the address is over its hourly budget.
     * Returns whether it went; callers facing the public answer alike either way.
     */
    async send(realm: Realm, user: User, via: LinkEntry): Promise<boolean> {
      if (!(await countRecipient(realm, user.email))) return false;
      await queue(realm, user, via);
      return true;
    },

    /** Whether a link to the user's current address went out within the last `seconds`, still usable. */
    async sentWithin(realm: Realm, user: User, seconds: number): Promise<boolean> {
      const token = await emailTokens.outstanding(realm.id, user.id, "verify_email");
      return (
        token !== null &&
        token.email === user.email &&
        token.createdAt.getTime() > clock.now().getTime() - seconds * 1000
      );
    },

    /** The user a live link would verify, for its page; null when the link is no good (any more). */
    async peek(realm: Realm, secret: unknown): Promise<{ user: User; token: EmailToken } | null> {
      const token = await emailTokens.peek(realm.id, "verify_email", secret);
      if (!token) return null;
      const user = await users.find(realm.id, token.userId);
      return user && user.email === token.email ? { user, token } : null;
    },

    /**
     * Spends a link and marks the address verified, in one transaction: only while the account still
     * has the address the link went to. Of concurrent confirmations exactly one succeeds; the others,
     * and unknown, expired, used or superseded links, get `email.link_invalid`.
     */
    async confirm(
      realm: Realm,
      secret: unknown,
      context: RequestContext,
    ): Promise<{ user: User; token: EmailToken }> {
      const confirmed = await db.transaction(async (tx) => {
        const token = await emailTokens.consume(realm.id, "verify_email", secret, tx);
        if (!token) throw new AppError("email.link_invalid");
        const user = await users.markEmailVerified(realm.id, token.userId, token.email, tx);
        if (!user) throw new AppError("email.link_invalid");
        // Verification links go only to unconfirmed addresses: this is the account's first
        // confirmation, when a realm that verifies addresses welcomes the new account.
        if (realm.settings.email_welcome)
          await mailer.send({ realm, template: "welcome", to: user.email, user }, tx);
        return { user, token };
      });
      await events.record({
        realmId: realm.id,
        type: "user.email_verified",
        userId: confirmed.user.id,
        context,
        data: { via: "link" },
      });
      return confirmed;
    },

    /**
     * An administrator's "send the verification email again" (`POST …/users/{id}/verification_email`):
     * 409 when already verified, 429 over the address's hourly budget. The optional `client_id` and
     * `redirect_uri` are validated like a login's and become the confirmed page's way back to the app.
     */
    async sendForAdmin(realm: Realm, userId: string, input: unknown): Promise<EmailToken> {
      const body = parseOrThrow(adminSendSchema, input ?? {});
      const user = await users.get(realm.id, userId);
      if (user.emailVerified) throw new AppError("email.already_verified");
      let via = NO_ENTRY;
      if (body.client_id || body.redirect_uri) {
        const entry = await resolveEntry(deps.apps, realm.id, readEntryParams(body));
        via = { app: entry.app, params: entryToParams(entry) };
      }
      if (!(await countRecipient(realm, user.email))) throw new AppError("rate.limited");
      return queue(realm, user, via);
    },
  };
}

export type EmailVerification = ReturnType<typeof createEmailVerification>;
