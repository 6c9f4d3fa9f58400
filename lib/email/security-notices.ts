import { loggableError } from "@/lib/errors/log-safe";
import type { RequestContext } from "@/lib/events";
import type { Realm } from "@/lib/realms";
import type { User } from "@/lib/users";
import { noticeDevice } from "./login-notices";
import type { Mailer } from "./mailer";
import type { TemplateName } from "./templates";

export type SecurityNotice = Extract<TemplateName, "mfa_enabled" | "mfa_disabled" | "mfa_reset">;

/**
 * A security notice to the user (2FA turned on, off or reset), sent after the change it reports.
 * A failure to queue it is logged and never undoes the change: the user would lose recovery codes
 * shown only in that answer. Returns whether it was queued.
 */
export async function sendSecurityNotice(
  deps: { mailer: Mailer; log?: (line: string) => void },
  realm: Realm,
  user: User,
  template: SecurityNotice,
  context?: RequestContext,
): Promise<boolean> {
  try {
    await deps.mailer.send({
      realm,
      template,
      to: user.email,
      user,
      vars: context ? { device: noticeDevice(context) } : {},
    });
    return true;
  } catch (error) {
    (deps.log ?? console.error)(
      `[mail] could not queue the ${template} notice of realm ${realm.id}: ${loggableError(error)}`,
    );
    return false;
  }
}
