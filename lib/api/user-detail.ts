import type { Services } from "@/lib/services";
import type { User } from "@/lib/users";
import { passwordStatusOut, userOut } from "./serializers";

/**
 * One user with their password facts (must change, last changed) and whether they have 2FA
 * (details at `…/users/{id}/mfa`) and which social providers they log in with; lists leave those out.
 */
export async function userDetail(gh: Services, realmId: string, user: User) {
  const status = await gh.users.passwordStatus(realmId, user.id);
  const mfa = await gh.mfa.status(realmId, user.id);
  const identities = await gh.identities.listForUser(realmId, user.id);
  return {
    ...userOut.parse(user),
    password: passwordStatusOut.parse(status),
    mfa: { enabled: mfa.enabled },
    // The providers the user can log in with (details at `…/users/{id}/identities`).
    identities: identities.map((i) => i.providerSlug),
  };
}
