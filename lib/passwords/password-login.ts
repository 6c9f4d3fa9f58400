import { AppError } from "@/lib/errors";
import type { Realm } from "@/lib/realms";

/**
 * Social-only realms (issue 6, realm setting `password_login: false`): nobody logs in, signs up,
 * resets or changes a password there; users come in through the realm's social providers. Every
 * password path calls this first and refuses with `auth.password_login_disabled` (403), whatever
 * the account: the password login, signup with a password, the reset request and its link, the
 * login's "choose a new password" step, the profile's password checks (change, confirm) and the
 * social login's "prove it's you with your password" step (`/login/link`).
 *
 * Passwords that exist stay stored (an admin may still set one through the API): they are simply
 * not usable while the setting is off, and work again when it is switched back on.
 */
export function requirePasswordLogin(realm: Pick<Realm, "settings">): void {
  if (!realm.settings.password_login) throw new AppError("auth.password_login_disabled");
}

/** Whether a user with this stored password can use it to sign in (and to re-authenticate). */
export function passwordUsable(realm: Pick<Realm, "settings">, hasPassword: boolean): boolean {
  return realm.settings.password_login && hasPassword;
}
