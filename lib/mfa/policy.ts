import { and, eq } from "drizzle-orm";
import { type Db, tables } from "@/lib/db";
import type { RealmSettings } from "@/lib/realms";
import { holdsPermission } from "./permissions";

/**
 * The realm's 2FA policy (`mfa_policy`) applied to one user: whether they must have an
 * authenticator app. `optional`: never (users who enrolled still pass their code at every login);
 * `required`: always; `permission`: when any of their memberships, in any org of the realm, holds a
 * permission matching `mfa_permission` (lib/mfa/permissions.ts).
 */
export function createMfaPolicy({ db }: { db: Db }) {
  const m = tables.memberships;
  return {
    async requiredFor(
      realm: { id: string; settings: Pick<RealmSettings, "mfa_policy" | "mfa_permission"> },
      userId: string,
    ): Promise<boolean> {
      const { mfa_policy: policy, mfa_permission: named } = realm.settings;
      if (policy === "optional") return false;
      if (policy === "required") return true;
      // The realm API refuses `permission` without a permission; should a realm have none anyway,
      // everyone is held to it (when in doubt, the second factor is required).
      if (!named) return true;
      const rows = await db
        .select({ permissions: m.permissions })
        .from(m)
        .where(and(eq(m.realmId, realm.id), eq(m.userId, userId)));
      return holdsPermission(
        rows.flatMap((row) => row.permissions),
        named,
      );
    },
  };
}

export type MfaPolicy = ReturnType<typeof createMfaPolicy>;
