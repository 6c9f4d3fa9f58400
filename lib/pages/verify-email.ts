import "server-only";
import { cookies } from "next/headers";
import { isAppError } from "@/lib/errors";
import { entryToParams, profilePageUrl } from "@/lib/flows";
import { type FormState, formStateFromError, hasNulCharacter } from "@/lib/forms/state";
import { flowCookie, linkTokenCookie, sessionCookie } from "@/lib/http/cookies";
import { CSRF_FIELD } from "@/lib/http/csrf";
import { type HostedRequest, readHostedRequest } from "@/lib/http/next-request";
import { type MessageKey, type Messages, messagesFor } from "@/lib/i18n";
import type { Realm } from "@/lib/realms";
import { type Services, services } from "@/lib/services";
import { loadRealmView, type RealmView } from "./hosted-page";
import { findHostedRealm } from "./hosted-realm";
import { applyLoginOutcome } from "./login-cookies";

/**
 * `/{realm}/verify-email` (DESIGN section 2): the page a link from an email opens, for a new
 * account's address (`verify_email`) or a new address after a change (`change_email`). The proxy
 * has already moved the link's secret from the address into a short-lived cookie
 * (lib/http/link-token.ts), so this page and its form carry no secret.
 *
 * GET shows a confirm button and only the POST spends the link. Mail scanners (Outlook Safe Links,
 * Mimecast, corporate gateways) fetch every link in a message before the person reads it: a link
 * that acted on GET would be spent by the scanner, the person's own click would then fail, a login
 * waiting for it in their browser would never finish, and a change of email would happen without
 * anyone pressing anything. Scanners fetch; they do not press buttons.
 */
const LINK_PAGE = "verify-email";
const ENTRY_KEYS = ["client_id", "redirect_uri", "state", "redir", "return_to"] as const;

export type LinkPurpose = "verify_email" | "change_email";

export type LinkPage =
  | { kind: "not_found" }
  | {
      kind: "confirm";
      realm: RealmView;
      purpose: LinkPurpose;
      /** The address being confirmed (the new one, for a change). */
      email: string;
      /** For a change: the address the account has now. */
      current: string | null;
      hidden: Record<string, string>;
      messages: Messages;
    }
  | {
      kind: "invalid";
      realm: RealmView;
      next: { href: string; label: MessageKey };
      messages: Messages;
    };

/** Where someone with a dead link gets a new one: their waiting login's step, else their account. */
async function newLinkRoute(gh: Services, realm: Realm, request: HostedRequest) {
  const base = gh.realmUrl(realm);
  const waiting = await gh.flows.verifyEmailStep(
    realm,
    request.cookie(flowCookie(realm.id, gh.publicUrl).name),
  );
  return waiting
    ? { href: `${base}/login/verify-email`, label: "page.link_invalid.to_step" as const }
    : { href: `${base}/profile`, label: "page.link_invalid.to_profile" as const };
}

export async function loadLinkPage(slug: string, request: HostedRequest): Promise<LinkPage> {
  const realm = await findHostedRealm(slug);
  const view = await loadRealmView(slug);
  if (!realm || !view) return { kind: "not_found" };
  const gh = await services();
  const messages = messagesFor(request.locale);
  const secret = request.cookie(linkTokenCookie(LINK_PAGE, realm.slug, gh.publicUrl).name);
  const confirm = (purpose: LinkPurpose, email: string, current: string | null): LinkPage => ({
    kind: "confirm",
    realm: view,
    purpose,
    email,
    current,
    hidden: { [CSRF_FIELD]: request.csrfToken ?? "", purpose },
    messages,
  });
  const verify = await gh.emailVerification.peek(realm, secret);
  if (verify) return confirm("verify_email", verify.user.email, null);
  const change = await gh.account.peekEmailChange(realm, secret);
  if (change) return confirm("change_email", change.token.email, change.user.email);
  return { kind: "invalid", realm: view, next: await newLinkRoute(gh, realm, request), messages };
}

/** The confirmed page, with the entry the link carried: its way on to the app. */
function confirmedUrl(
  gh: Services,
  realm: Realm,
  done: "verified" | "changed",
  entry: Record<string, unknown>,
) {
  const params = new URLSearchParams({ done });
  for (const key of ENTRY_KEYS) {
    const value = entry[key];
    if (typeof value === "string" && value) params.set(key, value);
  }
  return `${gh.realmUrl(realm)}/verify-email/confirmed?${params}`;
}

/**
 * The confirm button: spends the link from the cookie. A verification whose login waits in this
 * browser finishes that login (session cookie, `303` to the app); otherwise the browser goes to the
 * confirmed page. Either way the link's cookie goes.
 */
export async function submitLinkConfirmation(
  slug: string,
  formData: FormData,
): Promise<{ state: FormState } | { redirect: string }> {
  const fail = (code: string) => ({ state: { fieldErrors: {}, formError: { code } } });
  // Bound arguments travel through the client and can be tampered with: check their types.
  if (typeof slug !== "string" || !(formData instanceof FormData)) return fail("flow.invalid");
  const request = await readHostedRequest();
  if (!request.csrfMatches(formData.get(CSRF_FIELD))) return fail("csrf.invalid");
  if (hasNulCharacter(formData)) return fail("validation.failed");
  const realm = await findHostedRealm(slug);
  if (!realm) return fail("realm.not_found");
  const gh = await services();
  const link = linkTokenCookie(LINK_PAGE, realm.slug, gh.publicUrl);
  const secret = request.cookie(link.name);
  let next: string;
  try {
    if (formData.get("purpose") === "change_email") {
      const { entry } = await gh.account.confirmEmailChange(realm, secret, request.context);
      next = confirmedUrl(gh, realm, "changed", entry);
    } else {
      const result = await gh.flows.confirmEmail(
        realm,
        secret,
        request.cookie(flowCookie(realm.id, gh.publicUrl).name),
        request.context,
        request.cookie(sessionCookie(realm.id, gh.publicUrl).name),
      );
      next =
        result.kind === "login"
          ? await applyLoginOutcome(realm, gh.publicUrl, result.outcome)
          : confirmedUrl(gh, realm, "verified", result.entry);
    }
  } catch (error) {
    return { state: formStateFromError(error) };
  }
  (await cookies()).set(link.name, "", { ...link.options, maxAge: 0 });
  return { redirect: next };
}

export type ConfirmedPage =
  | { kind: "not_found" }
  | {
      kind: "confirmed";
      realm: RealmView;
      done: "verified" | "changed";
      next: { href: string; label: MessageKey; app: string | null };
      messages: Messages;
    };

/**
 * `/{realm}/verify-email/confirmed`: "Your email address is confirmed", with a way on: the app the
 * link came from (through `/login`, which a live session passes at once), else the account page.
 * The entry is validated like a login's; an invalid one only loses the app link.
 */
export async function loadConfirmedPage(
  slug: string,
  searchParams: Record<string, string | string[] | undefined>,
  request: HostedRequest,
): Promise<ConfirmedPage> {
  const realm = await findHostedRealm(slug);
  const view = await loadRealmView(slug);
  if (!realm || !view) return { kind: "not_found" };
  const gh = await services();
  const base = gh.realmUrl(realm);
  let next = {
    href: `${base}/profile`,
    label: "page.email_confirmed.account" as MessageKey,
    app: null as string | null,
  };
  if (ENTRY_KEYS.some((key) => searchParams[key] !== undefined)) {
    try {
      const entry = await gh.flows.entry(realm, searchParams);
      next =
        entry.returnTo === "app"
          ? {
              href: `${base}/login?${new URLSearchParams(entryToParams(entry))}`,
              label: "page.email_confirmed.continue",
              app: entry.app.name,
            }
          : {
              href: profilePageUrl(base, "profile", entry),
              label: "page.email_confirmed.account",
              app: null,
            };
    } catch (error) {
      if (!isAppError(error)) throw error;
    }
  }
  return {
    kind: "confirmed",
    realm: view,
    done: searchParams.done === "changed" ? "changed" : "verified",
    next,
    messages: messagesFor(request.locale),
  };
}
