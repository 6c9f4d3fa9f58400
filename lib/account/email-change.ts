import type { Db } from "@/lib/db";
import { type EmailToken, type EmailTokens, type Mailer, TOKEN_MINUTES } from "@/lib/email";
import type { LinkEntry } from "@/lib/email-verification";
import { AppError, isAppError, parseOrThrow } from "@/lib/errors";
import type { Events, RequestContext } from "@/lib/events";
import type { Realm } from "@/lib/realms";
import type { Session } from "@/lib/sessions";
import { isEmailDomainAllowed } from "@/lib/signup";
import type { Throttle } from "@/lib/throttle";
import { emailSchema, type User, type Users } from "@/lib/users";
import type { CheckCurrentPassword } from "./current-password";
import { changeEmailFormSchema } from "./forms";
import type { RecentAuth } from "./recent-auth";

export interface EmailChangeDeps {
  db: Db;
  users: Users;
  mailer: Mailer;
  emailTokens: EmailTokens;
  events: Events;
  throttle: Pick<Throttle, "emailChangeAllowed">;
  realmUrl: (realm: Pick<Realm, "slug">) => string;
  checkCurrentPassword: CheckCurrentPassword;
  recentAuth: RecentAuth;
}

/**
 * Change of email from the profile (issue 4, item 5): the current password first, then a link to
 * the NEW address (`change_email` token, 24 hours); nothing changes until it is followed. Following
 * it moves the account to the new address (verified), voids every outstanding link of the user and
 * tells the OLD address.
 */
export function createEmailChange(deps: EmailChangeDeps) {
  const { db, users, mailer, emailTokens, events } = deps;

  return {
    /**
     * Asks for a change. Errors, in order: the form (`email.invalid`, `email.unchanged`, the realm's
     * domain lists: `email.domain_not_allowed`), the current password (`password.current_invalid`,
     * throttled like a login), and only then `user.email_taken`: so the one fact this form could
     * reveal about other accounts, which the signup form tells anyone, it tells only to someone who
     * knows this account's password. Over the address's hourly budget nothing is sent, and the
     * answer is the same. Replaces any earlier pending change.
     */
    async requestEmailChange(
      realm: Realm,
      current: Session,
      input: unknown,
      context: RequestContext,
      via: LinkEntry,
    ): Promise<void> {
      const user = await users.get(realm.id, current.userId);
      // A new address must pass the same domain lists as a signup, or a change would get round them.
      const lists = {
        allow: realm.settings.signup_email_domains_allow,
        deny: realm.settings.signup_email_domains_deny,
      };
      const schema = changeEmailFormSchema().extend({
        email: emailSchema
          .refine((email) => email !== user.email, "email.unchanged")
          .refine((email) => isEmailDomainAllowed(email, lists), "email.domain_not_allowed"),
      });
      // A user without a usable password (social-only) has none to type: a recent sign-in in this
      // session stands in for it (./recent-auth.ts), as for the 2FA changes.
      const reauth = await deps.recentAuth.status(realm, current);
      let form: { email: string };
      if (reauth.method === "password") {
        const typed = parseOrThrow(schema, input);
        await deps.checkCurrentPassword(realm, current, typed.current_password, context);
        form = typed;
      } else {
        form = parseOrThrow(schema.omit({ current_password: true }), input);
        if (!reauth.until) throw new AppError("auth.reauth_login_required");
      }
      if (await users.isEmailTaken(realm.id, form.email)) throw AppError.field("user.email_taken", "email");
      // Counted against this account and the new address, never against that address's reset budget.
      const sent = await deps.throttle.emailChangeAllowed(realm, user.id, form.email);
      if (sent) {
        await db.transaction(async (tx) => {
          const { secret } = await emailTokens.issue(
            {
              realmId: realm.id,
              userId: user.id,
              purpose: "change_email",
              email: form.email,
              data: via.params,
            },
            tx,
          );
          await mailer.send(
            {
              realm,
              template: "change_email",
              to: form.email,
              user,
              app: via.app,
              vars: {
                link: `${deps.realmUrl(realm)}/verify-email?token=${secret}`,
                expires_in_minutes: TOKEN_MINUTES.change_email,
                new_email: form.email,
              },
            },
            tx,
          );
        });
      }
      await events.record({
        realmId: realm.id,
        type: "user.email_change_requested",
        userId: user.id,
        sessionId: current.id,
        context,
        data: { new_email: form.email, email_sent: sent },
      });
    },

    /** The address a change waits to be confirmed from, or null when none is pending. */
    async pendingEmailChange(realm: Realm, userId: string): Promise<string | null> {
      return (await emailTokens.outstanding(realm.id, userId, "change_email"))?.email ?? null;
    },

    /** Withdraws a pending change: its link stops working. */
    async cancelEmailChange(realm: Realm, userId: string): Promise<void> {
      await emailTokens.voidFor(realm.id, userId, ["change_email"]);
    },

    /** The user and new address behind a live change link, for its page; null when no good. */
    async peekEmailChange(realm: Realm, secret: unknown): Promise<{ user: User; token: EmailToken } | null> {
      const token = await emailTokens.peek(realm.id, "change_email", secret);
      if (!token) return null;
      const user = await users.find(realm.id, token.userId);
      return user?.state === "active" ? { user, token } : null;
    },

    /**
     * Follows a change link (after its confirm button), in one transaction: spends the link, moves
     * the account to the new address (verified), voids the user's other links (reset, verify,
     * change) and queues the notice to the old address. `email.link_invalid` for a link that is no
     * good; `user.email_taken` when another account got the address meanwhile (the unique index
     * decides a race), and then nothing changes and the link stays usable.
     */
    async confirmEmailChange(
      realm: Realm,
      secret: unknown,
      context: RequestContext,
    ): Promise<{ user: User; entry: Record<string, unknown> }> {
      const changed = await db
        .transaction(async (tx) => {
          const token = await emailTokens.consume(realm.id, "change_email", secret, tx);
          if (!token) throw new AppError("email.link_invalid");
          // Everything through `tx`: on PGlite a query outside it would wait for it forever.
          if (await users.isEmailTaken(realm.id, token.email, tx)) throw new AppError("user.email_taken");
          const { before, after } = await users.changeEmail(realm.id, token.userId, token.email, tx);
          // A deactivated account keeps its address (throwing undoes the change).
          if (before.state !== "active") throw new AppError("email.link_invalid");
          await emailTokens.voidFor(
            realm.id,
            after.id,
            ["password_reset", "verify_email", "change_email"],
            tx,
          );
          await mailer.send(
            {
              realm,
              template: "email_changed",
              to: before.email,
              user: after,
              vars: { old_email: before.email, new_email: after.email },
            },
            tx,
          );
          return { before, after, entry: token.data };
        })
        .catch((error) => {
          // The link page has no email field: the race's field error becomes the page's own.
          if (isAppError(error) && error.code === "user.email_taken") throw new AppError("user.email_taken");
          throw error;
        });
      await events.record({
        realmId: realm.id,
        type: "user.email_changed",
        userId: changed.after.id,
        context,
        data: { old_email: changed.before.email, new_email: changed.after.email, via: "link" },
      });
      return { user: changed.after, entry: changed.entry };
    },
  };
}
