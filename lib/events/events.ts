import { type Db, tables } from "@/lib/db";
import { newId } from "@/lib/ids";

export type EventType =
  | "user.login"
  | "user.login_failed"
  | "user.signup"
  | "user.signup_rejected"
  | "user.logout"
  | "user.created"
  | "user.deleted"
  | "session.sso"
  | "user.updated"
  | "user.password_change_required"
  | "user.password_changed"
  | "invitation.created"
  | "invitation.revoked"
  | "session.evicted"
  | "session.ended"
  | "user.locked"
  | "user.lock_cleared"
  | "email_template.updated"
  | "email_template.reset"
  | "user.password_reset_requested"
  | "user.password_reset"
  | "user.email_verification_required"
  | "user.email_verified"
  | "user.email_change_requested"
  | "user.email_changed"
  | "user.mfa_enabled"
  | "user.mfa_disabled"
  | "user.mfa_reset"
  | "user.recovery_codes_regenerated"
  | "user.mfa_failed"
  | "user.mfa_locked"
  | "user.identity_unlinked";

export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
  /** The browser's device cookies by realm id (hosted pages; new-device login notices). Never recorded. */
  devices?: Readonly<Record<string, string>>;
}

export interface EventInput {
  realmId: string;
  type: EventType;
  userId?: string | null;
  appId?: string | null;
  sessionId?: string | null;
  context?: RequestContext;
  data?: Record<string, unknown>;
}

export function createEvents({ db }: { db: Db }) {
  return {
    async record(input: EventInput): Promise<void> {
      await db.insert(tables.events).values({
        realmId: input.realmId,
        id: newId("ev"),
        type: input.type,
        userId: input.userId ?? null,
        appId: input.appId ?? null,
        sessionId: input.sessionId ?? null,
        ip: input.context?.ip?.slice(0, 64) ?? null,
        userAgent: input.context?.userAgent?.slice(0, 512) ?? null,
        data: input.data ?? {},
      });
    },
  };
}

export type Events = ReturnType<typeof createEvents>;
