import "server-only";
import type { ReauthMethod } from "@/lib/account";
import type { LinkEntry } from "@/lib/email-verification";
import { isAppError } from "@/lib/errors";
import { profilePageUrl } from "@/lib/flows";
import { sessionCookie } from "@/lib/http/cookies";
import { CSRF_FIELD } from "@/lib/http/csrf";
import type { HostedRequest } from "@/lib/http/next-request";
import { type Messages, messagesFor, translator } from "@/lib/i18n";
import { groupedKey, qrDataUrl } from "@/lib/mfa";
import { passwordUsable } from "@/lib/passwords/password-login";
import { type PasswordPolicy, passwordPolicyOf } from "@/lib/passwords/policy";
import type { Realm } from "@/lib/realms";
import { type Services, services } from "@/lib/services";
import { describeDevice, deviceLabel, type Session } from "@/lib/sessions";
import type { User } from "@/lib/users";
import { findHostedRealm } from "./hosted-realm";

/**
 * `/{realm}/profile` (DESIGN section 2): the signed-in user's own account. Without a live session
 * the browser goes to `/login?return_to=profile`, which brings it back here after the login (no
 * token is issued for it). A `redirect_uri` (with `client_id`) is validated exactly like a login's
 * and only ever becomes a "Back to {app}" link; an invalid one is dropped, never followed.
 */
export interface ProfileBack {
  app: { id: string; name: string } | null;
  redirectUri: string | null;
}

const noBack: ProfileBack = { app: null, redirectUri: null };

/** The validated return address of a profile request (query or form fields), or none. */
export async function resolveProfileBack(
  gh: Services,
  realm: Realm,
  source: Record<string, unknown>,
): Promise<ProfileBack> {
  if (typeof source.redirect_uri !== "string" || !source.redirect_uri) return noBack;
  try {
    const entry = await gh.flows.entry(realm, {
      client_id: source.client_id,
      redirect_uri: source.redirect_uri,
      return_to: "profile",
    });
    return entry.app && entry.redirectUri ? { app: entry.app, redirectUri: entry.redirectUri } : noBack;
  } catch (error) {
    if (isAppError(error)) return noBack;
    throw error;
  }
}

/** The browser's live session and its (active) user, or null. */
export async function findSignedIn(
  gh: Services,
  realm: Realm,
  request: HostedRequest,
): Promise<{ session: Session; user: User } | null> {
  const session = await gh.sessions.findLive(
    realm.id,
    request.cookie(sessionCookie(realm.id, gh.publicUrl).name),
  );
  if (!session) return null;
  const user = await gh.users.find(realm.id, session.userId);
  if (user?.state !== "active") return null;
  // A session that never passed a second factor the user now has (or the realm now requires) is
  // not signed in here: it goes through the login and its code step first.
  if (await gh.flows.sessionOwesSecondFactor(realm, session, user)) return null;
  return { session, user };
}

/** What a link mailed from the profile carries: the way back here, and to the app behind it. */
export const profileLinkEntry = (back: ProfileBack): LinkEntry => ({
  app: back.app,
  params: {
    return_to: "profile",
    ...(back.app && back.redirectUri ? { client_id: back.app.id, redirect_uri: back.redirectUri } : {}),
  },
});

export const profileUrl = (gh: Services, realm: Realm, back: ProfileBack) =>
  profilePageUrl(gh.realmUrl(realm), "profile", back);
export const profileLoginUrl = (gh: Services, realm: Realm, back: ProfileBack) =>
  profilePageUrl(gh.realmUrl(realm), "login", back);

/** One session as the profile page shows it: words and times already formatted on the server. */
export interface SessionRow {
  id: string;
  device: string;
  ip: string | null;
  createdAt: string;
  createdText: string;
  lastUsedAt: string;
  lastUsedText: string;
  current: boolean;
}

/** A setup in progress as the page shows it: the QR code (an SVG data URL) and the key to type. */
export interface TotpSetupView {
  qr: string;
  groupedKey: string;
  uri: string;
  issuer: string;
  account: string;
}

/**
 * How this session proves the user again before a sensitive change (lib/account/recent-auth.ts):
 * the current password, or (no usable password) signing in again through `loginUrl`.
 */
export interface ReauthView {
  method: ReauthMethod;
  /** `/login?prompt=login&return_to=profile…`: a fresh login (of any kind) that comes back here. */
  loginUrl: string;
}

/** One linked upstream account on the profile: words and times already formatted on the server. */
export interface LinkedAccountRow {
  id: string;
  providerName: string;
  email: string | null;
  linkedAt: string;
  linkedText: string;
  lastUsedAt: string | null;
  lastUsedText: string | null;
  /** False when it is the user's only way in (no usable password, no other identity). */
  removable: boolean;
}

/** The "Linked accounts" section. */
export interface LinkedAccountsView {
  accounts: LinkedAccountRow[];
  /** Recent authentication allows removing now. */
  recent: boolean;
  reauth: ReauthView;
}

/** The "Two-step verification" section: status, and what this session may change now. */
export interface TwoFactorSectionView {
  enabled: boolean;
  since: string | null;
  sinceText: string | null;
  recoveryCodesLeft: number;
  /** The password was proven in this session within 15 minutes: changes are offered. */
  recent: boolean;
  recentUntil: string | null;
  recentUntilText: string | null;
  pending: TotpSetupView | null;
  /** The realm requires 2FA of everyone (turning it off only lasts until the next login). */
  requiredByRealm: boolean;
  reauth: ReauthView;
}

export type ProfilePage =
  | { kind: "not_found" }
  | { kind: "redirect"; url: string }
  | {
      kind: "profile";
      realmName: string;
      slug: string;
      messages: Messages;
      email: string;
      emailVerified: boolean;
      /** Whether the realm asks for verified addresses at all (`email_verification` not `off`). */
      verification: boolean;
      /** The new address a change of email waits to be confirmed from, if any. */
      pendingEmail: string | null;
      sessions: SessionRow[];
      back: { url: string; appName: string } | null;
      /** CSRF token and the return address, carried by every form of the page. */
      hidden: Record<string, string>;
      policy: PasswordPolicy;
      twoFactor: TwoFactorSectionView;
      linked: LinkedAccountsView;
      /**
       * The password section: `change` (a usable password), `none` (the realm takes passwords but the
       * user has none: one is set through "Forgot your password?"), or `off` (social-only realm).
       */
      password: "change" | "none" | "off";
    };

function timeFormatter(locale: string, messages: Messages) {
  const t = translator(messages);
  const format = new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "UTC",
  });
  return (date: Date) => t("page.profile.time_utc", { time: format.format(date) });
}

export async function loadProfilePage(
  slug: string,
  searchParams: Record<string, string | string[] | undefined>,
  request: HostedRequest,
): Promise<ProfilePage> {
  const realm = await findHostedRealm(slug);
  if (!realm) return { kind: "not_found" };
  const gh = await services();
  const back = await resolveProfileBack(gh, realm, searchParams);
  const signedIn = await findSignedIn(gh, realm, request);
  if (!signedIn) return { kind: "redirect", url: profileLoginUrl(gh, realm, back) };

  const messages = messagesFor(request.locale);
  const t = translator(messages);
  const when = timeFormatter(request.locale, messages);
  const sessions = await gh.sessions.listLive(realm.id, signedIn.user.id);
  const hidden: Record<string, string> = { [CSRF_FIELD]: request.csrfToken ?? "" };
  if (back.app && back.redirectUri)
    Object.assign(hidden, { client_id: back.app.id, redirect_uri: back.redirectUri });
  const mfa = await gh.account.twoFactorView(realm, signedIn.session);
  const reauth: ReauthView = {
    method: mfa.reauth,
    // `prompt=login` skips seamless SSO: the browser comes back with a new session (a fresh proof).
    loginUrl: `${profileLoginUrl(gh, realm, back)}&prompt=login`,
  };
  const hasPassword = (await gh.users.passwordHash(realm.id, signedIn.user.id)) !== null;
  const usable = passwordUsable(realm, hasPassword);
  const identities = await gh.account.linkedAccounts(realm.id, signedIn.user.id);
  const linked: LinkedAccountsView = {
    accounts: identities.map((i) => ({
      id: i.id,
      providerName: i.providerName,
      email: i.email,
      linkedAt: i.linkedAt.toISOString(),
      linkedText: when(i.linkedAt),
      lastUsedAt: i.lastUsedAt?.toISOString() ?? null,
      lastUsedText: i.lastUsedAt ? when(i.lastUsedAt) : null,
      removable: usable || identities.length > 1,
    })),
    recent: mfa.recentUntil !== null,
    reauth,
  };
  const pending = mfa.pending;
  const twoFactor: TwoFactorSectionView = {
    enabled: mfa.enabled,
    since: mfa.confirmedAt?.toISOString() ?? null,
    sinceText: mfa.confirmedAt ? when(mfa.confirmedAt) : null,
    recoveryCodesLeft: mfa.recoveryCodesLeft,
    recent: mfa.recentUntil !== null,
    recentUntil: mfa.recentUntil?.toISOString() ?? null,
    recentUntilText: mfa.recentUntil ? when(mfa.recentUntil) : null,
    pending: pending
      ? {
          qr: await qrDataUrl(pending.uri),
          groupedKey: groupedKey(pending.secret),
          uri: pending.uri,
          issuer: realm.name,
          account: signedIn.user.email,
        }
      : null,
    requiredByRealm: realm.settings.mfa_policy === "required",
    reauth,
  };
  return {
    kind: "profile",
    twoFactor,
    linked,
    password: !realm.settings.password_login ? "off" : usable ? "change" : "none",
    realmName: realm.name,
    slug: realm.slug,
    messages,
    email: signedIn.user.email,
    emailVerified: signedIn.user.emailVerified,
    verification: realm.settings.email_verification !== "off",
    pendingEmail: await gh.account.pendingEmailChange(realm, signedIn.user.id),
    // This device first, then the others by last use.
    sessions: sessions
      .map((s) => ({
        id: s.id,
        device: deviceLabel(describeDevice(s.userAgent), t),
        ip: s.ip,
        createdAt: s.createdAt.toISOString(),
        createdText: when(s.createdAt),
        lastUsedAt: s.lastSeenAt.toISOString(),
        lastUsedText: when(s.lastSeenAt),
        current: s.id === signedIn.session.id,
      }))
      .sort((a, b) => Number(b.current) - Number(a.current)),
    back: back.app && back.redirectUri ? { url: back.redirectUri, appName: back.app.name } : null,
    hidden,
    policy: passwordPolicyOf(realm),
  };
}
