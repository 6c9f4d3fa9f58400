import { z } from "zod";
import { needsVerification } from "@/lib/email-verification";
import type { Realm } from "@/lib/realms";
import type { User } from "@/lib/users";
import type { PendingFlow } from "./pending-flows";

/** An upstream profile as a flow row keeps it (lib/social/types.ts UpstreamProfile). */
export const profileSchema = z.object({
  subject: z.string().min(1).max(255),
  email: z.string().max(320).nullable(),
  emailVerified: z.boolean(),
  firstName: z.string().max(100).nullable(),
  lastName: z.string().max(100).nullable(),
});

/**
 * An upstream identity the login links to its user only once nothing is pending (issue 6), so that
 * a login that fails a later step (the second factor, confirming the address) links nothing: a
 * stolen password alone cannot plant an attacker's Google account on the victim's user.
 */
export const pendingLinkSchema = z.object({
  provider_id: z.string().max(64),
  provider_slug: z.string().max(64),
  /** How the link was decided, for the `user.identity_linked` event. */
  how: z.enum(["auto", "password", "signup"]),
  /**
   * The account's address must be confirmed within this very login before the link is made,
   * whatever the realm's `email_verification`: a provider that does not vouch for the address
   * proves nothing about who owns it (the pre-account-hijack).
   */
  needs_verified_email: z.boolean(),
  profile: profileSchema,
});

export type PendingLink = z.output<typeof pendingLinkSchema>;

/** The link a flow row carries, if any (a row that does not parse carries none). */
export function pendingLinkOf(flow: Pick<PendingFlow, "data">): PendingLink | undefined {
  const parsed = pendingLinkSchema.safeParse(flow.data.link);
  return parsed.success ? parsed.data : undefined;
}

/** What a step's flow row carries on into the next `advance`: what is proven and what is pending. */
export function carriedState(flow: PendingFlow) {
  return { amr: flow.amr, isSignup: flow.isSignup, link: pendingLinkOf(flow) };
}

/** Whether the login must wait for the user to confirm their address (the `verify_email` step). */
export function owesVerification(
  realm: Realm,
  user: Pick<User, "emailVerified">,
  link: PendingLink | undefined,
): boolean {
  return needsVerification(realm, user) || (!!link?.needs_verified_email && !user.emailVerified);
}
