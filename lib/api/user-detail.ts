import type { Services } from "@/lib/services";
import type { User } from "@/lib/users";
import { passwordStatusOut, userOut } from "./serializers";

/** One user with their password facts (must change, last changed); lists leave those out. */
export async function userDetail(gh: Services, realmId: string, user: User) {
  const status = await gh.users.passwordStatus(realmId, user.id);
  return { ...userOut.parse(user), password: passwordStatusOut.parse(status) };
}
