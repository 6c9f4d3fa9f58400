import { AppError } from "@/lib/errors";
import type { Invitation } from "@/lib/invitations";
import type { Realm } from "@/lib/realms";
import type { LoginFlowDeps } from "./login-flows";

/**
 * Who may create an account, and under which invitation: one rule for the signup form and the first
 * social login (issue 6), so an invitation is checked and redeemed the same way on both.
 */
export function createSignupAccess({ invitations }: Pick<LoginFlowDeps, "invitations">) {
  return {
    /**
     * Whether this realm takes a signup now, and under which invitation: `closed` refuses; a valid
     * invitation is honoured in `open` and `invitation` mode alike (a realm that opens up keeps its
     * outstanding links working); `invitation` mode refuses a signup without one.
     */
    async signupAccess(realm: Realm, secret: unknown): Promise<Invitation | null> {
      if (realm.settings.signup_mode === "closed")
        throw new AppError("signup.closed", { params: { realm: realm.name } });
      if (secret !== undefined && secret !== "" && secret !== null) {
        const invitation = await invitations.findUsable(realm.id, secret);
        if (!invitation) throw new AppError("signup.invitation_invalid");
        return invitation;
      }
      if (realm.settings.signup_mode === "invitation")
        throw new AppError("signup.invitation_required", { params: { realm: realm.name } });
      return null;
    },

    /**
     * Spends the invitation for the new account, inside the account's own transaction (`tx`): of two
     * signups with one link, one commits and the other rolls back (`signup.invitation_invalid`).
     */
    async redeemInvitation(
      tx: Parameters<LoginFlowDeps["invitations"]["consume"]>[0],
      realm: Realm,
      invitation: Invitation,
      userId: string,
    ): Promise<void> {
      await invitations.consume(tx, realm.id, invitation.id, userId);
    },
  };
}

/** An invitation naming an address can be accepted by that address only (both normalised alike). */
export function invitationAccepts(invitation: Invitation | null, email: string): boolean {
  return !invitation?.email || invitation.email === email;
}
