import "server-only";
import { cache } from "react";
import { isAppError } from "@/lib/errors";
import { type Entry, entryToParams, INVITATION_FIELD, type UsernameMode } from "@/lib/flows";
import { isLoginPageError, type LoginPageError } from "@/lib/flows/social-login";
import { sessionCookie } from "@/lib/http/cookies";
import type { HostedRequest } from "@/lib/http/next-request";
import type { Messages } from "@/lib/i18n";
import { messagesFor } from "@/lib/i18n";
import { type PasswordPolicy, passwordPolicyOf } from "@/lib/passwords/policy";
import type { Realm } from "@/lib/realms";
import { services } from "@/lib/services";
import { readThemeTokens, type ThemeTokens } from "@/lib/themes";
import { findHostedRealm } from "./hosted-realm";
import { loadSocialButtons, type SocialButton } from "./social-buttons";

/** Everything the shell of a realm's pages needs: names, theme, language. No secrets. */
export interface RealmView {
  slug: string;
  name: string;
  url: string;
  theme: ThemeTokens;
  settings: {
    passwordMin: number;
    passwordMax: number;
    names: "off" | "optional" | "required";
    /** Whether the login page links to self-signup (invitation-only realms don't). */
    signupOpen: boolean;
    usernameMode: UsernameMode;
    /** The rules a new password must meet, for the rules list, the meter and inline checks. */
    passwordPolicy: PasswordPolicy;
    /** The anti-robot check (ALTCHA) on signup. */
    altcha: boolean;
    /** Off: a social-only realm (no password form, no reset, no password on the profile). */
    passwordLogin: boolean;
  };
}

export function toRealmView(realm: Realm, url: string, theme: unknown): RealmView {
  return {
    slug: realm.slug,
    name: realm.name,
    url,
    theme: readThemeTokens(theme),
    settings: {
      passwordMin: realm.settings.password_min_length,
      passwordMax: realm.settings.password_max_length,
      names: realm.settings.signup_names,
      signupOpen: realm.settings.signup_mode === "open",
      usernameMode: realm.settings.username_mode,
      passwordPolicy: passwordPolicyOf(realm),
      altcha: realm.settings.signup_altcha,
      passwordLogin: realm.settings.password_login,
    },
  };
}

/** The realm and its view, once per request: the layout and the page share it (React `cache`). */
const findRealm = cache(async (slug: string): Promise<{ realm: Realm; view: RealmView } | null> => {
  const realm = await findHostedRealm(slug);
  if (!realm) return null;
  const gh = await services();
  return { realm, view: toRealmView(realm, gh.realmUrl(realm), await gh.realms.theme(realm.id)) };
});

/** The realm shell for a layout: null means 404. */
export async function loadRealmView(slug: string): Promise<RealmView | null> {
  return (await findRealm(slug))?.view ?? null;
}

export type EntryPage =
  | { kind: "not_found" }
  | { kind: "redirect"; url: string }
  | { kind: "error"; code: string; params?: Record<string, string>; realm: RealmView; messages: Messages }
  | {
      kind: "form";
      realm: RealmView;
      /** Null on the way to the realm's own profile page without an app to go back to. */
      app: { id: string; name: string } | null;
      hidden: Record<string, string>;
      query: string;
      messages: Messages;
      /** Signup through an invitation: the address it is for, if it names one. */
      invitation: { email: string | null } | null;
      /** Why the browser was sent back to the login page (a fixed message, never the parameter's text). */
      notice: "page.login.mfa_failed" | "error.auth.password_login_disabled" | null;
      /** A failed social login's code (`error=`), only from the allow-list; rendered as `error.{code}`. */
      error: LoginPageError | null;
      /** The realm's enabled social providers, in button order (login and signup). */
      socialProviders: SocialButton[];
    };

/**
 * `/login`, `/signup` and `/forgot`: validate the app and return address, try seamless SSO (login
 * only), else describe the form to render.
 */
export async function loadEntryPage(
  kind: "login" | "signup" | "forgot",
  slug: string,
  searchParams: Record<string, string | string[] | undefined>,
  request: HostedRequest,
): Promise<EntryPage> {
  const gh = await services();
  const found = await findRealm(slug);
  if (!found) return { kind: "not_found" };
  const { realm, view } = found;
  const messages = messagesFor(request.locale);
  let entry: Entry;
  let invitation: { email: string | null } | null = null;
  const secret = searchParams[INVITATION_FIELD];
  try {
    entry =
      kind === "forgot"
        ? await gh.flows.resetEntry(realm, searchParams)
        : await gh.flows.entry(realm, searchParams);
    if (kind === "signup") {
      const found = await gh.flows.signupAccess(realm, secret);
      invitation = found && { email: found.email };
    }
  } catch (error) {
    if (isAppError(error))
      return { kind: "error", code: error.code, params: { realm: realm.name }, realm: view, messages };
    throw error;
  }
  if (kind === "login") {
    const secret = request.cookie(sessionCookie(realm.id, gh.publicUrl).name);
    const url = await gh.flows.seamless(realm, entry, secret, request.context);
    if (url) return { kind: "redirect", url };
  }
  const params = entryToParams(entry);
  return {
    kind: "form",
    realm: view,
    app: entry.app ? { id: entry.app.id, name: entry.app.name } : null,
    hidden: {
      ...params,
      // Carried through the form; the server checks it again when the form comes back.
      ...(invitation && typeof secret === "string" ? { [INVITATION_FIELD]: secret } : {}),
      csrf_token: request.csrfToken ?? "",
    },
    query: new URLSearchParams(params).toString(),
    messages,
    invitation,
    notice: entryNotice(kind, searchParams),
    error: kind === "login" && isLoginPageError(searchParams.error) ? searchParams.error : null,
    socialProviders: kind === "forgot" ? [] : await loadSocialButtons(realm),
  };
}

/** A fixed message for an allow-listed parameter, never the parameter's own text. */
function entryNotice(
  kind: "login" | "signup" | "forgot",
  searchParams: Record<string, string | string[] | undefined>,
): Extract<EntryPage, { kind: "form" }>["notice"] {
  // `notice=mfa_failed`: a login flow was voided after too many wrong second-factor codes.
  if (kind === "login" && searchParams.notice === "mfa_failed") return "page.login.mfa_failed";
  // A password form posted to a realm that has turned passwords off (a page loaded before); the
  // login page shows it among its `error` codes.
  if (kind !== "login" && searchParams.error === "auth.password_login_disabled")
    return "error.auth.password_login_disabled";
  return null;
}

/** `<title>` of a hosted page: "Log in · Acme", in the visitor's language. */
export async function hostedPageTitle(
  slug: string,
  key:
    | "page.login.title"
    | "page.signup.title"
    | "page.choose_password.title"
    | "page.profile.title"
    | "page.forgot.title"
    | "page.reset.title"
    | "page.reset.expired.title"
    | "page.verify_email.title"
    | "page.verify_email_step.title"
    | "page.email_confirmed.title"
    | "page.mfa_verify.title"
    | "page.mfa_enrol.title"
    | "page.link.title"
    | "page.password_off.title"
    | "page.complete_profile.title",
  locale: string,
): Promise<string> {
  const messages = messagesFor(locale);
  const realm = await loadRealmView(slug);
  const title = messages[key];
  return realm ? `${title} · ${realm.name}` : title;
}
