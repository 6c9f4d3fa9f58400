import type { Services } from "@/lib/services";
import type { User } from "@/lib/users";
import { passwordStatusOut, userOut } from "./serializers";

/**
 * One user with their password facts (must change, last changed) and whether they have 2FA
 * (details at `…/users/{id}/mfa`); lists leave those out.
 */
export async function userDetail(gh: Services, realmId: string, user: User) {
  const status = await gh.users.passwordStatus(realmId, user.id);
  const mfa = await gh.mfa.status(realmId, user.id);
  return {
    ...userOut.parse(user),
    password: passwordStatusOut.parse(status),
    mfa: { enabled: mfa.enabled },
  };
}
