import { AppError, parseOrThrow } from "@/lib/errors";
import type { RequestContext } from "@/lib/events";
import type { Realm } from "@/lib/realms";
import type { User } from "@/lib/users";
import { readEntryParams, resolveEntry } from "./entry";
import { type CompleteProfileForm, completeProfileFormSchema, type ProfileField } from "./forms";
import type { Advance, LoginFlowDeps, LoginOutcome } from "./login-flows";
import { carriedState } from "./pending-link";

/**
 * The profile fields the realm requires that this user lacks, in form order. Today: first and last
 * name when `signup_names` is `required` (a user from a social login whose provider shared no
 * names, an import, the API, or a realm that began requiring names later).
 */
export function missingProfileFields(realm: Pick<Realm, "settings">, user: User): ProfileField[] {
  const missing: ProfileField[] = [];
  if (realm.settings.signup_names === "required") {
    if (!user.firstName?.trim()) missing.push("first_name");
    if (!user.lastName?.trim()) missing.push("last_name");
  }
  return missing;
}

/** What the step's page shows: the account, the fields to fill, and what the user has already. */
export interface CompleteProfileStep {
  email: string;
  fields: ProfileField[];
  values: CompleteProfileForm;
}

/**
 * The login's "complete your profile" step (`/login/complete-profile`): a login whose user lacks
 * fields the realm requires waits here in a flow row until they are filled in, with the signup
 * form's validation; then the login goes on (enrolling a second factor, or the app).
 */
export function createCompleteProfileStep(deps: LoginFlowDeps, advance: Advance) {
  const { apps, users, events, pending } = deps;

  async function findStep(realm: Realm, flowSecret: string | undefined) {
    const flow = await pending.find(realm.id, flowSecret, "complete_profile");
    if (!flow?.userId) return null;
    const user = await users.find(realm.id, flow.userId);
    if (user?.state !== "active") return null;
    return { flow, user };
  }

  return {
    /** For the step's page: the missing fields, or null (no such live flow). */
    async completeProfileStep(
      realm: Realm,
      flowSecret: string | undefined,
    ): Promise<CompleteProfileStep | null> {
      const found = await findStep(realm, flowSecret);
      if (!found) return null;
      const { user } = found;
      return {
        email: user.email,
        fields: missingProfileFields(realm, user),
        values: { first_name: user.firstName ?? "", last_name: user.lastName ?? "" },
      };
    },

    /**
     * Saves the missing fields (refused field by field like the signup form), spends the flow
     * (exactly once) and lets the login go on with the user as they now are.
     */
    async completeProfile(
      realm: Realm,
      flowSecret: string | undefined,
      input: unknown,
      context: RequestContext,
      previousSecret?: string,
    ): Promise<LoginOutcome> {
      const found = await findStep(realm, flowSecret);
      if (!found) throw new AppError("flow.invalid");
      const { flow, user } = found;
      const fields = missingProfileFields(realm, user);
      const form: CompleteProfileForm = parseOrThrow(completeProfileFormSchema(fields), input);
      // The app and return address are checked again: they may have changed in the meantime.
      const entry = await resolveEntry(apps, realm.id, readEntryParams(flow.data.entry ?? {}));
      if (!(await pending.spend(realm.id, flow.id))) throw new AppError("flow.invalid");
      const updated = fields.length ? await users.update(realm, user.id, form) : user;
      if (fields.length) {
        await events.record({
          realmId: realm.id,
          type: "user.updated",
          userId: user.id,
          appId: entry.app?.id ?? null,
          context,
          data: { via: "login", step: "complete_profile", fields },
        });
      }
      return advance({ realm, entry, user: updated, ...carriedState(flow) }, context, previousSecret);
    },
  };
}
