import { z } from "zod";
import { constantTimeEqual } from "@/lib/crypto/secrets";
import { AppError, isAppError, parseOrThrow } from "@/lib/errors";
import type { RequestContext } from "@/lib/events";
import { passwordChangeReason } from "@/lib/passwords/expiry";
import { passwordUsable } from "@/lib/passwords/password-login";
import type { Realm } from "@/lib/realms";
import { isEmailDomainAllowed } from "@/lib/signup";
import type { ResolvedProvider, SocialProvider, UpstreamProfile } from "@/lib/social";
import type { User } from "@/lib/users";
import { normalizeIdentifier } from "@/lib/users/normalize";
import { type Entry, entryToParams, readEntryParams, resolveEntry } from "./entry";
import { INVITATION_FIELD, linkIdentityFormSchema } from "./forms";
import type { Advance, LoginFlowDeps, LoginOutcome } from "./login-flows";
import { createPasswordCheck } from "./password-check";
import type { PendingFlow } from "./pending-flows";
import { type PendingLink, profileSchema } from "./pending-link";
import { createSignupAccess, invitationAccepts } from "./signup-access";

/**
 * The codes a failed social login may show on the login page (`/login?error=…`): only these are
 * turned into a message, so the parameter never carries text of its own onto the page.
 */
export const LOGIN_PAGE_ERRORS = [
  "social.cancelled",
  "social.failed",
  "social.state_invalid",
  "social.email_missing",
  "social.profile_invalid",
  "social.identity_taken",
  "social.provider_not_found",
  "signup.closed",
  "signup.invitation_required",
  "signup.invitation_invalid",
  "invitation.email_mismatch",
  "email.domain_not_allowed",
  "auth.password_login_disabled",
  "rate.limited",
] as const;
export type LoginPageError = (typeof LOGIN_PAGE_ERRORS)[number];

export function isLoginPageError(code: unknown): code is LoginPageError {
  return typeof code === "string" && (LOGIN_PAGE_ERRORS as readonly string[]).includes(code);
}

/** Off to the provider: the browser gets the flow cookie (state, nonce, PKCE verifier) and goes. */
export interface SocialRedirect {
  kind: "upstream";
  redirectUrl: string;
  flowSecret: string;
  flowExpiresAt: Date;
}

/** Back to the login page with a message; the flow cookie (if any) is cleared. */
export interface SocialFailure {
  kind: "failed";
  code: LoginPageError;
  redirectUrl: string;
}

/** What the `social_callback` flow row keeps between the redirect and the callback. */
const callbackDataSchema = z.object({
  provider_id: z.string(),
  state: z.string(),
  nonce: z.string().nullable(),
  code_verifier: z.string(),
  /** The invitation link's secret when the login started from `/signup?invitation=…`. */
  invitation: z.string().max(64).optional(),
});

/** What the `link_identity` flow row keeps: which identity, as the provider described it. */
const linkDataSchema = z.object({ provider_id: z.string(), profile: profileSchema });

const amrOf = (provider: Pick<SocialProvider, "slug">) => `social:${provider.slug}`;

/** The identity a login links when it finishes (lib/flows/pending-link.ts). */
const pendingLink = (
  provider: SocialProvider,
  profile: UpstreamProfile,
  how: PendingLink["how"],
  needsVerifiedEmail: boolean,
): PendingLink => ({
  provider_id: provider.id,
  provider_slug: provider.slug,
  how,
  needs_verified_email: needsVerifiedEmail,
  profile,
});

/** A name as the provider sent it, trimmed to what a user record holds. */
const nameOf = (value: string | null) => (value ? value.trim().slice(0, 100) || undefined : undefined);

/** Entry parameters from the start request: strings only, only the entry's own keys, bounded. */
function rawEntryParams(params: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ["client_id", "redirect_uri", "state", "redir", "return_to", "prompt"]) {
    const value = params[key];
    if (typeof value === "string" && value.length <= 2048) out[key] = value;
  }
  return out;
}

/**
 * Social login (issue 6): `/login/social/{provider}` sends the browser to the provider with PKCE,
 * `state` and (OIDC) `nonce` kept in a flow row; the callback spends that row, lets the upstream
 * half validate everything, and matches the account:
 * - a known identity logs its user in;
 * - a new identity whose email belongs to a user is linked without asking only when the provider
 *   asserts the address verified AND the realm allows auto-linking AND the user's own address is
 *   confirmed; otherwise the user proves the account is theirs with its password (`/login/link`);
 * - a new identity with an unknown address signs up under the realm's signup rules.
 * Every way ends in `advance`, so the realm's steps (verify email, 2FA, …) apply as after a password.
 */
export function createSocialLogin(deps: LoginFlowDeps, advance: Advance) {
  const { apps, users, events, pending, identities, socialProviders, upstream, throttle } = deps;
  const checkPassword = createPasswordCheck(deps);
  const { signupAccess, redeemInvitation } = createSignupAccess(deps);

  const callbackUrl = (realm: Realm, provider: Pick<SocialProvider, "slug">) =>
    `${deps.realmUrl(realm)}/login/social/${encodeURIComponent(provider.slug)}/callback`;

  function failure(realm: Realm, entryParams: Record<string, string>, code: string): SocialFailure {
    const shown: LoginPageError = isLoginPageError(code) ? code : "social.failed";
    const query = new URLSearchParams({ ...entryParams, error: shown });
    return { kind: "failed", code: shown, redirectUrl: `${deps.realmUrl(realm)}/login?${query}` };
  }

  async function recordFailure(
    realm: Realm,
    provider: Pick<SocialProvider, "slug"> | null,
    appId: string | null,
    context: RequestContext,
    reason: string,
    userId: string | null = null,
  ) {
    await events.record({
      realmId: realm.id,
      type: "user.login_failed",
      userId,
      appId,
      context,
      data: { method: provider ? amrOf(provider) : "social", reason },
    });
  }

  /** An enabled provider of this realm, resolved; `social.provider_not_found` otherwise. */
  async function enabledProvider(realm: Realm, slug: string): Promise<ResolvedProvider> {
    const provider = typeof slug === "string" ? await socialProviders.findBySlug(realm.id, slug) : null;
    if (!provider?.enabled) throw new AppError("social.provider_not_found");
    return deps.resolveProvider(provider);
  }

  async function linkedEvent(
    realm: Realm,
    user: User,
    provider: SocialProvider,
    entry: Entry,
    context: RequestContext,
    how: "auto" | "password" | "signup",
  ) {
    await events.record({
      realmId: realm.id,
      type: "user.identity_linked",
      userId: user.id,
      appId: entry.app?.id ?? null,
      context,
      data: { provider: provider.slug, how },
    });
  }

  /**
   * A new account from the provider's profile, under the realm's signup rules (the signup form's:
   * `signupAccess`); linked, and its invitation (if any) spent, in the account's own transaction.
   * An invitation naming an address is accepted by that address only, and proves it (as on /signup).
   */
  async function signUp(
    realm: Realm,
    entry: Entry,
    provider: SocialProvider,
    profile: UpstreamProfile & { email: string },
    invitationSecret: string | undefined,
    context: RequestContext,
  ): Promise<User> {
    const invitation = await signupAccess(realm, invitationSecret);
    if (!invitationAccepts(invitation, profile.email))
      throw AppError.field("invitation.email_mismatch", "email");
    const lists = {
      allow: realm.settings.signup_email_domains_allow,
      deny: realm.settings.signup_email_domains_deny,
    };
    // An invitation for this very address: the admin chose that person, the domain lists do not apply.
    if (!invitation?.email && !isEmailDomainAllowed(profile.email, lists))
      throw AppError.field("email.domain_not_allowed", "email");
    if (!(await throttle.signupAllowed(realm, context.ip))) throw new AppError("rate.limited");
    // An address the provider vouches for (or an invitation bound to it) is the upstream account's:
    // the identity is linked with the account. One it does not vouch for proves nothing: the
    // account is created unconfirmed and the identity is linked only once the address is confirmed
    // within this login (whatever the realm's email_verification), so nobody can pre-register a
    // victim's address through a provider.
    const vouched = profile.emailVerified || !!invitation?.email;
    const user = await users.create(
      realm,
      {
        email: profile.email,
        first_name: nameOf(profile.firstName),
        last_name: nameOf(profile.lastName),
        email_verified: vouched,
      },
      {
        // The identity is linked, the invitation spent and the emails queued in the account's own transaction.
        withinTransaction: async (tx, created) => {
          if (invitation) await redeemInvitation(tx, realm, invitation, created.id);
          if (vouched) {
            await identities.link(realm.id, created.id, provider.id, profile, tx);
            if (realm.settings.email_welcome)
              await deps.mailer.send(
                { realm, template: "welcome", to: created.email, user: created, app: entry.app },
                tx,
              );
          } else {
            await deps.verification.queue(
              realm,
              created,
              { app: entry.app, params: entryToParams(entry) },
              tx,
            );
          }
        },
      },
    );
    if (vouched) await linkedEvent(realm, user, provider, entry, context, "signup");
    else await deps.verification.countRecipient(realm, user.email);
    return user;
  }

  /** Who this upstream account is here: a login, a link to prove, or a signup. */
  async function match(
    realm: Realm,
    entry: Entry,
    provider: SocialProvider,
    profile: UpstreamProfile,
    context: RequestContext,
    previousSecret: string | undefined,
    invitationSecret: string | undefined,
  ): Promise<LoginOutcome | SocialFailure> {
    const appId = entry.app?.id ?? null;
    const params = entryToParams(entry);
    const amr = [amrOf(provider)];

    const identity = await identities.findBySubject(realm.id, provider.id, profile.subject);
    if (identity) {
      const user = await users.find(realm.id, identity.userId);
      if (user?.state !== "active") {
        await recordFailure(realm, provider, appId, context, "inactive", identity.userId);
        return failure(realm, params, "social.failed");
      }
      await identities.touch(realm.id, identity.id, profile);
      return advance({ realm, entry, user, amr, isSignup: false }, context, previousSecret);
    }

    if (!profile.email) {
      await recordFailure(realm, provider, appId, context, "email_missing");
      return failure(realm, params, "social.email_missing");
    }
    // The mappings normalise already (lib/social/profile.ts emailOf); once more costs nothing and
    // keeps the comparison with stored addresses right whatever mapping produced the profile.
    const email = normalizeIdentifier(profile.email);

    const found = await users.findForLogin(realm.id, email);
    const existing = found && found.user.email === email ? found.user : null;
    if (existing) {
      if (existing.state !== "active") {
        await recordFailure(realm, provider, appId, context, "inactive", existing.id);
        return failure(realm, params, "social.failed");
      }
      // Never on an unverified address: the provider vouches for it, the realm allows it, and the
      // address is confirmed on our side too (else whoever registered it here first is not proven).
      // The link itself is made when the login finishes, after its other steps (2FA) pass.
      if (profile.emailVerified && realm.settings.social_auto_link && existing.emailVerified) {
        const link = pendingLink(provider, profile, "auto", false);
        return advance({ realm, entry, user: existing, amr, isSignup: false, link }, context, previousSecret);
      }
      // An account nobody can sign in to yet (no password, no identity, address never confirmed:
      // created by an admin, or by an earlier social signup whose address was not confirmed) is
      // claimed like a signup: by confirming the address within this login, then linked.
      if (
        !existing.emailVerified &&
        !found?.hash &&
        (await identities.countForUser(realm.id, existing.id)) === 0
      ) {
        const link = pendingLink(provider, profile, "signup", true);
        return advance({ realm, entry, user: existing, amr, isSignup: false, link }, context, previousSecret);
      }
      const { flow, secret } = await pending.start({
        realmId: realm.id,
        appId,
        redirectUri: entry.redirectUri,
        state: entry.state,
        entryParams: params,
        userId: existing.id,
        amr: [],
        isSignup: false,
        steps: ["link_identity"],
        data: { provider_id: provider.id, profile },
      });
      return {
        kind: "step",
        redirectUrl: `${deps.realmUrl(realm)}/login/link`,
        flowSecret: secret,
        flowExpiresAt: flow.expiresAt,
      };
    }

    const user = await signUp(realm, entry, provider, { ...profile, email }, invitationSecret, context);
    const link = user.emailVerified ? undefined : pendingLink(provider, profile, "signup", true);
    return advance({ realm, entry, user, amr, isSignup: true, link }, context, previousSecret);
  }

  /** The `link_identity` flow behind a cookie, with its user and provider; null when there is none. */
  async function findLinkStep(realm: Realm, flowSecret: string | undefined) {
    const flow = await pending.find(realm.id, flowSecret, "link_identity");
    if (!flow?.userId) return null;
    const data = linkDataSchema.safeParse(flow.data);
    if (!data.success) return null;
    const user = await users.find(realm.id, flow.userId);
    if (user?.state !== "active") return null;
    const provider = await socialProviders.find(realm.id, data.data.provider_id);
    if (!provider?.enabled) return null;
    return { flow, user, provider, profile: data.data.profile };
  }

  return {
    /** Where a sign-in button sends the browser back to after the provider (`{realm URL}/…/callback`). */
    socialCallbackUrl: callbackUrl,

    /**
     * `/login/social/{provider}`: checks the entry as `/login` does and the provider (enabled, in
     * this realm), keeps state, nonce and PKCE verifier in a new flow row, and sends the browser to
     * the provider. Failures go back to the login page with a message.
     */
    async startSocialLogin(
      realm: Realm,
      slug: string,
      params: Record<string, unknown>,
      context: RequestContext,
    ): Promise<SocialRedirect | SocialFailure> {
      let entry: Entry;
      try {
        entry = await resolveEntry(apps, realm.id, readEntryParams(params));
      } catch (error) {
        if (!isAppError(error)) throw error;
        // The login page checks the same parameters and explains what is wrong with them.
        return failure(realm, rawEntryParams(params), "social.failed");
      }
      const entryParams = entryToParams(entry);
      let resolved: ResolvedProvider;
      try {
        resolved = await enabledProvider(realm, slug);
      } catch (error) {
        if (!isAppError(error)) throw error;
        return failure(realm, entryParams, error.code);
      }
      // From `/signup?invitation=…`: checked now (a dead link fails before the trip upstream) and
      // again, and spent, when the callback creates the account.
      const rawInvitation = params[INVITATION_FIELD];
      const invitation =
        typeof rawInvitation === "string" && rawInvitation !== "" ? rawInvitation : undefined;
      if (invitation !== undefined) {
        try {
          await signupAccess(realm, invitation);
        } catch (error) {
          if (!isAppError(error)) throw error;
          return failure(realm, entryParams, error.code);
        }
      }
      const { provider } = resolved;
      try {
        const request = await upstream.authorize(resolved, callbackUrl(realm, provider), {
          forceLogin: entry.forceLogin,
        });
        const { flow, secret } = await pending.start({
          realmId: realm.id,
          appId: entry.app?.id ?? null,
          redirectUri: entry.redirectUri,
          state: entry.state,
          entryParams,
          userId: null,
          amr: [],
          isSignup: false,
          steps: ["social_callback"],
          data: {
            provider_id: provider.id,
            state: request.state,
            nonce: request.nonce,
            code_verifier: request.codeVerifier,
            ...(invitation !== undefined ? { invitation } : {}),
          },
        });
        return {
          kind: "upstream",
          redirectUrl: request.url,
          flowSecret: secret,
          flowExpiresAt: flow.expiresAt,
        };
      } catch (error) {
        if (!isAppError(error)) throw error;
        await recordFailure(realm, provider, entry.app?.id ?? null, context, error.message);
        return failure(realm, entryParams, error.code);
      }
    },

    /**
     * `/login/social/{provider}/callback`: the flow from the cookie is spent first (a replayed
     * callback finds nothing), the `state` compared, the provider's answer validated and the account
     * matched (see above). Every failure goes back to the login page with a message.
     */
    async finishSocialLogin(
      realm: Realm,
      slug: string,
      flowSecret: string | undefined,
      query: URLSearchParams,
      context: RequestContext,
      previousSecret?: string,
    ): Promise<LoginOutcome | SocialFailure> {
      const found = await pending.find(realm.id, flowSecret, "social_callback");
      // Spent before anything else is looked at: of two callbacks with this cookie, one goes on.
      const flow: PendingFlow | null = found && (await pending.spend(realm.id, found.id));
      const data = callbackDataSchema.safeParse(flow?.data);
      if (!flow || !data.success) {
        await recordFailure(realm, null, null, context, "flow_invalid");
        return failure(realm, {}, "social.state_invalid");
      }
      const entryParams = flow.data.entry ?? {};
      const appId = flow.appId;
      const provider = await socialProviders.find(realm.id, data.data.provider_id);
      if (!provider?.enabled || provider.slug !== slug) {
        await recordFailure(realm, provider, appId, context, "provider_unavailable");
        return failure(realm, entryParams, "social.provider_not_found");
      }
      const returned = query.get("state");
      if (!returned || !constantTimeEqual(returned, data.data.state)) {
        await recordFailure(realm, provider, appId, context, "state_mismatch");
        return failure(realm, entryParams, "social.state_invalid");
      }
      if (query.has("error")) {
        const cancelled = query.get("error") === "access_denied";
        await recordFailure(realm, provider, appId, context, cancelled ? "cancelled" : "upstream_error");
        return failure(realm, entryParams, cancelled ? "social.cancelled" : "social.failed");
      }
      try {
        // The app and return address are checked again: they may have changed in the meantime.
        const entry = await resolveEntry(apps, realm.id, readEntryParams(entryParams));
        const resolved = deps.resolveProvider(provider);
        const raw = await upstream.finish(resolved, {
          params: query,
          redirectUri: callbackUrl(realm, provider),
          state: data.data.state,
          nonce: data.data.nonce,
          codeVerifier: data.data.code_verifier,
        });
        const profile = resolved.mapProfile(raw);
        return await match(realm, entry, provider, profile, context, previousSecret, data.data.invitation);
      } catch (error) {
        if (!isAppError(error)) throw error;
        // Codes outside the login page's list show as `social.failed`; the event keeps the reason.
        await recordFailure(realm, provider, appId, context, error.message || error.code);
        const field = error.fields.find(
          (f) => f.code === "email.domain_not_allowed" || f.code === "invitation.email_mismatch",
        );
        return failure(realm, entryParams, field?.code ?? error.code);
      }
    },

    /** For `/login/link`: whose password is asked for and which provider; null without such a flow. */
    async linkIdentityStep(realm: Realm, flowSecret: string | undefined) {
      const found = await findLinkStep(realm, flowSecret);
      if (!found) return null;
      // A password proves the account only where passwords are used (not in a social-only realm).
      const hasPassword = passwordUsable(realm, (await users.passwordHash(realm.id, found.user.id)) !== null);
      return {
        email: found.user.email,
        providerName: found.provider.displayName,
        hasPassword,
        /** The login page's query for this login (to start again another way). */
        query: new URLSearchParams(found.flow.data.entry ?? {}).toString(),
      };
    },

    /**
     * `/login/link`: the password of the account with the provider's address proves the account is
     * the user's; then the identity is linked and the login goes on (`amr` pwd + social). The check
     * is the login form's own (throttle, timing, one refusal for every failure).
     */
    async linkIdentityWithPassword(
      realm: Realm,
      flowSecret: string | undefined,
      input: unknown,
      context: RequestContext,
      previousSecret?: string,
    ): Promise<LoginOutcome> {
      const found = await findLinkStep(realm, flowSecret);
      if (!found) throw new AppError("flow.invalid");
      const { flow, user, provider, profile } = found;
      const form = parseOrThrow(linkIdentityFormSchema, input);
      const entry = await resolveEntry(apps, realm.id, readEntryParams(flow.data.entry ?? {}));
      const checked = await checkPassword({
        realm,
        identifier: user.email,
        password: form.password,
        found: await users.findForLogin(realm.id, user.email),
        app: entry.app,
        context,
        method: `link:${amrOf(provider)}`,
      });
      if (checked.user.id !== user.id) throw new AppError("auth.invalid_credentials");
      if (!(await pending.spend(realm.id, flow.id))) throw new AppError("flow.invalid");
      // Linked when the login finishes: a password without the second factor links nothing.
      const link = pendingLink(provider, profile, "password", false);
      const passwordChange = passwordChangeReason(
        checked as { mustChange: boolean; changedAt: Date },
        realm.settings.password_expiry_days,
        deps.clock.now(),
      );
      return advance(
        { realm, entry, user, amr: ["pwd", amrOf(provider)], isSignup: false, passwordChange, link },
        context,
        previousSecret,
      );
    },
  };
}
