import "server-only";
import { cookies } from "next/headers";
import { type FormState, formDataToObject, formStateFromError, hasNulCharacter } from "@/lib/forms/state";
import { sessionCookie } from "@/lib/http/cookies";
import { CSRF_FIELD } from "@/lib/http/csrf";
import { type HostedRequest, readHostedRequest } from "@/lib/http/next-request";
import type { Realm } from "@/lib/realms";
import { type Services, services } from "@/lib/services";
import type { Session } from "@/lib/sessions";
import type { User } from "@/lib/users";
import { findHostedRealm } from "./hosted-realm";
import {
  findSignedIn,
  type ProfileBack,
  profileLinkEntry,
  profileLoginUrl,
  profileUrl,
  resolveProfileBack,
} from "./profile";

export type ProfileActionResult = { state: FormState } | { redirect: string };

const fail = (code: string): ProfileActionResult => ({ state: { fieldErrors: {}, formError: { code } } });

interface ProfileAction {
  gh: Services;
  realm: Realm;
  request: HostedRequest;
  back: ProfileBack;
  session: Session;
  user: User;
}

/**
 * What every profile form does first: check the bound slug and the form, the CSRF token, the
 * realm and the browser's session. A session that ended meanwhile sends the browser to log in.
 */
async function begin(slug: unknown, formData: unknown): Promise<ProfileAction | ProfileActionResult> {
  // Bound arguments travel through the client and can be tampered with: check their types.
  if (typeof slug !== "string" || !(formData instanceof FormData)) return fail("flow.invalid");
  const request = await readHostedRequest();
  if (!request.csrfMatches(formData.get(CSRF_FIELD))) return fail("csrf.invalid");
  if (hasNulCharacter(formData)) return fail("validation.failed");
  const realm = await findHostedRealm(slug);
  if (!realm) return fail("realm.not_found");
  const gh = await services();
  const back = await resolveProfileBack(gh, realm, formDataToObject(formData, ["client_id", "redirect_uri"]));
  const signedIn = await findSignedIn(gh, realm, request);
  if (!signedIn) return { redirect: profileLoginUrl(gh, realm, back) };
  return { gh, realm, request, back, ...signedIn };
}

const isResult = (value: ProfileAction | ProfileActionResult): value is ProfileActionResult =>
  "state" in value || "redirect" in value;

/** "Change password": the other sessions end, this one stays, and the page says so. */
export async function submitPasswordChange(slug: string, formData: FormData): Promise<ProfileActionResult> {
  const action = await begin(slug, formData);
  if (isResult(action)) return action;
  const { gh, realm, request, session } = action;
  const input = formDataToObject(formData, ["current_password", "password"]);
  try {
    await gh.account.changePassword(realm, session, input, request.context);
  } catch (error) {
    // Never hand passwords back to the form.
    return { state: formStateFromError(error) };
  }
  return { state: { fieldErrors: {}, notice: "page.profile.password.changed" } };
}

/**
 * The session buttons: `end` is a session id of this user, or `others`. Ending this browser's own
 * session is a logout: the cookie goes too, and the browser is asked to log in (back to here).
 */
export async function submitEndSession(slug: string, formData: FormData): Promise<ProfileActionResult> {
  const action = await begin(slug, formData);
  if (isResult(action)) return action;
  const { gh, realm, request, back, session, user } = action;
  const end = formData.get("end");
  if (typeof end !== "string" || !end || end.length > 64) return fail("flow.invalid");
  const actor = { via: "profile" as const, context: request.context };

  if (end === session.id) {
    const cookie = sessionCookie(realm.id, gh.publicUrl);
    await gh.flows.logout(realm, request.cookie(cookie.name), request.context);
    (await cookies()).set(cookie.name, "", { ...cookie.options, maxAge: 0 });
    return { redirect: profileLoginUrl(gh, realm, back) };
  }
  if (end === "others") await gh.account.endSessions(realm.id, user.id, session.id, actor);
  // A session that is not (or no longer) this user's ends nothing; the fresh list shows the truth.
  else await gh.account.endSession(realm.id, user.id, end, actor);
  return { redirect: profileUrl(gh, realm, back) };
}

/** "Change email address": a link goes to the new address; nothing changes until it is followed. */
export async function submitEmailChange(slug: string, formData: FormData): Promise<ProfileActionResult> {
  const action = await begin(slug, formData);
  if (isResult(action)) return action;
  const { gh, realm, request, back, session } = action;
  const input = formDataToObject(formData, ["email", "current_password"]);
  try {
    await gh.account.requestEmailChange(realm, session, input, request.context, profileLinkEntry(back));
  } catch (error) {
    // The address typed comes back; never the password.
    return { state: formStateFromError(error, { email: (input.email ?? "").slice(0, 300) }) };
  }
  return { state: { fieldErrors: {}, notice: "page.profile.email.change_sent" } };
}

/**
 * The email section's buttons (`intent`): `send_verification` mails a new confirmation link to
 * the current address (the answer is the same when the address is over its hourly budget);
 * `cancel_change` withdraws a pending change of email.
 */
export async function submitEmailAction(slug: string, formData: FormData): Promise<ProfileActionResult> {
  const action = await begin(slug, formData);
  if (isResult(action)) return action;
  const { gh, realm, back, user } = action;
  const intent = formData.get("intent");
  if (intent === "cancel_change") {
    await gh.account.cancelEmailChange(realm, user.id);
    return { state: { fieldErrors: {}, notice: "page.profile.email.change_cancelled" } };
  }
  if (intent !== "send_verification") return fail("flow.invalid");
  if (!user.emailVerified && realm.settings.email_verification !== "off")
    await gh.emailVerification.send(realm, user, profileLinkEntry(back));
  return { state: { fieldErrors: {}, notice: "page.profile.email.verification_sent" } };
}

/** The answer of the "Two-step verification" section: a form state, and recovery codes shown once. */
export interface TwoFactorState extends FormState {
  /** Fresh recovery codes (after turning 2FA on or regenerating): in this answer and nowhere else. */
  recoveryCodes?: string[];
}

export type TwoFactorActionResult = { state: TwoFactorState } | { redirect: string };

/**
 * The "Two-step verification" section's buttons (`intent`): `confirm_password` (recent
 * authentication), `begin` (a new key), `confirm` (a code from the app turns it on and returns the
 * recovery codes), `cancel` (drops a setup in progress), `regenerate` (new recovery codes),
 * `disable` (a code or a recovery code turns it off). Changes need the password proven in this
 * session within 15 minutes (lib/account/recent-auth.ts); the page shows the password form first.
 */
export async function submitTwoFactor(slug: string, formData: FormData): Promise<TwoFactorActionResult> {
  const action = await begin(slug, formData);
  if (isResult(action)) return action;
  const { gh, realm, request, session } = action;
  const { context } = request;
  const ok = (notice: TwoFactorState["notice"], recoveryCodes?: string[]): TwoFactorActionResult => ({
    state: { fieldErrors: {}, notice, ...(recoveryCodes ? { recoveryCodes } : {}) },
  });
  try {
    switch (formData.get("intent")) {
      case "confirm_password":
        await gh.account.confirmPassword(
          realm,
          session,
          formDataToObject(formData, ["current_password"]),
          context,
        );
        return ok("page.profile.mfa.password_confirmed");
      case "begin":
        await gh.account.beginMfaEnrolment(realm, session);
        // The page shows the setup in progress (QR code and key) from the database.
        return ok("page.profile.mfa.setup_started");
      case "confirm":
        return ok(
          "page.profile.mfa.enabled",
          await gh.account.confirmMfaEnrolment(realm, session, formDataToObject(formData, ["code"]), context),
        );
      case "cancel":
        await gh.account.cancelMfaEnrolment(realm, session);
        return ok("page.profile.mfa.cancelled");
      case "regenerate":
        return ok(
          "page.profile.mfa.regenerated",
          await gh.account.regenerateRecoveryCodes(realm, session, context),
        );
      case "disable":
        await gh.account.disableMfa(
          realm,
          session,
          formDataToObject(formData, ["code", "recovery_code"]),
          context,
        );
        return ok("page.profile.mfa.disabled");
      default:
        return fail("flow.invalid");
    }
  } catch (error) {
    // Never hand a password or a code back to the form.
    return { state: formStateFromError(error) };
  }
}

/**
 * The "Linked accounts" section's buttons (`intent`): `confirm_password` (recent authentication,
 * as in the 2FA section) and `unlink` (`identity`: one of the user's linked accounts). Removing is
 * refused without recent authentication, and for the user's last way in.
 */
export async function submitLinkedAccounts(slug: string, formData: FormData): Promise<ProfileActionResult> {
  const action = await begin(slug, formData);
  if (isResult(action)) return action;
  const { gh, realm, request, session } = action;
  try {
    switch (formData.get("intent")) {
      case "confirm_password":
        await gh.account.confirmPassword(
          realm,
          session,
          formDataToObject(formData, ["current_password"]),
          request.context,
        );
        return { state: { fieldErrors: {}, notice: "page.profile.mfa.password_confirmed" } };
      case "unlink":
        await gh.account.unlinkIdentity(realm, session, formData.get("identity"), request.context);
        return { state: { fieldErrors: {}, notice: "page.profile.linked.removed" } };
      default:
        return fail("flow.invalid");
    }
  } catch (error) {
    // Never hand a password back to the form.
    return { state: formStateFromError(error) };
  }
}
