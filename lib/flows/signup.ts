import type { z } from "zod";
import { AppError, isAppError, parseOrThrow } from "@/lib/errors";
import type { RequestContext } from "@/lib/events";
import type { Invitation } from "@/lib/invitations";
import { requirePasswordLogin } from "@/lib/passwords/password-login";
import type { Realm } from "@/lib/realms";
import { isEmailDomainAllowed } from "@/lib/signup";
import { emailSchema, newPasswordErrorsOfInput } from "@/lib/users";
import { type Entry, entryToParams } from "./entry";
import { HONEYPOT_FIELD, INVITATION_FIELD, signupFormSchema } from "./forms";
import type { Advance, LoginFlowDeps, LoginOutcome } from "./login-flows";
import { createSignupAccess, invitationAccepts } from "./signup-access";

/**
 * The signup form's email rule beyond its shape: an invitation that names an address fixes it (the
 * admin chose that person, so the domain lists do not apply); otherwise the realm's allow/deny lists.
 */
function signupEmailSchema(realm: Realm, invitation: Invitation | null) {
  const invited = invitation?.email;
  if (invited)
    return emailSchema.refine((email) => invitationAccepts(invitation, email), "invitation.email_mismatch");
  const lists = {
    allow: realm.settings.signup_email_domains_allow,
    deny: realm.settings.signup_email_domains_deny,
  };
  return emailSchema.refine((email) => isEmailDomainAllowed(email, lists), "email.domain_not_allowed");
}

/** Self-signup (`/signup`): abuse defences first, then the form, then the account and its login. */
export function createSignup(deps: LoginFlowDeps, advance: Advance) {
  const { users, events, throttle, verification } = deps;
  const { signupAccess, redeemInvitation } = createSignupAccess(deps);

  return {
    /** Whether the signup page may show its form: the invitation it carries, or an AppError to show. */
    signupAccess,

    async signup(
      realm: Realm,
      entry: Entry,
      input: unknown,
      context: RequestContext,
      previousSecret?: string,
    ): Promise<LoginOutcome> {
      const fields: Record<string, unknown> = typeof input === "object" && input !== null ? { ...input } : {};
      const recordRejection = (reason: string) =>
        events.record({
          realmId: realm.id,
          type: "user.signup_rejected",
          appId: entry.app?.id ?? null,
          context,
          data: { reason },
        });
      // A person never sees the trap field; whoever filled it gets the generic refusal, and
      // nothing else is looked at.
      const trap = fields[HONEYPOT_FIELD];
      if (typeof trap === "string" && trap !== "") {
        await recordRejection("honeypot");
        throw new AppError("signup.rejected");
      }

      // A social-only realm signs people up through their first social login, never with a password.
      requirePasswordLogin(realm);
      const invitation = await signupAccess(realm, fields[INVITATION_FIELD]).catch(async (error) => {
        // `invitation_required` or `invitation_invalid`; a closed realm is a setting, not an attack.
        if (isAppError(error) && error.code !== "signup.closed")
          await recordRejection(error.code.replace("signup.", ""));
        throw error;
      });

      const schema = signupFormSchema({
        passwordMin: realm.settings.password_min_length,
        passwordMax: realm.settings.password_max_length,
        names: realm.settings.signup_names,
        usernameMode: realm.settings.username_mode,
      }).extend({ email: signupEmailSchema(realm, invitation) });
      let form: z.output<typeof schema>;
      try {
        // The password policy's errors come with the form's in one answer (users.create checks again).
        form = parseOrThrow(schema, fields, newPasswordErrorsOfInput(realm, fields));
      } catch (error) {
        if (isAppError(error) && error.fields.some((f) => f.code === "email.domain_not_allowed"))
          await recordRejection("email_domain");
        throw error;
      }
      // Before anything is created or revealed (an address already taken): bots pay first, and only
      // a paid-for attempt counts against the address's signup budget.
      await deps.altcha.guard(realm, fields.altcha);
      if (!(await throttle.signupAllowed(realm, context.ip))) throw new AppError("rate.limited");
      // An invitation for this very address was delivered there by the admin: the address is proven.
      const emailVerified = !!invitation?.email;
      const verify = realm.settings.email_verification !== "off" && !emailVerified;
      const user = await users.create(
        realm,
        {
          email: form.email,
          username: form.username,
          password: form.password,
          first_name: form.first_name,
          last_name: form.last_name,
          email_verified: emailVerified,
        },
        {
          // In the account's own transaction: a signup that fails queues no email, and one that
          // succeeds cannot lose its email to a crash.
          withinTransaction: async (tx, created) => {
            if (invitation) await redeemInvitation(tx, realm, invitation, created.id);
            if (verify)
              await verification.queue(realm, created, { app: entry.app, params: entryToParams(entry) }, tx);
            // The welcome waits for a confirmed address when the realm verifies them (see email-verification).
            else if (realm.settings.email_welcome)
              await deps.mailer.send(
                { realm, template: "welcome", to: created.email, user: created, app: entry.app },
                tx,
              );
          },
        },
      );
      // Counted once the account exists, so failed signups cannot use up the address's budget.
      if (verify) await verification.countRecipient(realm, user.email);
      return advance({ realm, entry, user, amr: ["pwd"], isSignup: true }, context, previousSecret);
    },
  };
}
