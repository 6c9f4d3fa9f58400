import { foreignKey, index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { at, createdAt, realmId, updatedAt } from "./columns";
import { users } from "./users";

/**
 * A user's authenticator app (TOTP, RFC 6238). The seed is encrypted at rest (lib/crypto/keyring.ts).
 * A row without `confirmed_at` is an enrolment in progress: it proves nothing until a code confirms it.
 */
export const totpCredentials = pgTable(
  "totp_credentials",
  {
    realmId: realmId(),
    userId: text("user_id").notNull(),
    secretSealed: text("secret_sealed").notNull(),
    confirmedAt: at("confirmed_at"),
    /** The last time step a code was accepted for: that step and earlier ones are spent (no replay). */
    lastUsedStep: integer("last_used_step"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.realmId, t.userId] }),
    foreignKey({ columns: [t.realmId, t.userId], foreignColumns: [users.realmId, users.id] }).onDelete(
      "cascade",
    ),
  ],
);

/** Single-use recovery codes, stored as SHA-256 of the normalised code (80-bit codes). */
export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    realmId: realmId(),
    id: text("id").notNull(),
    userId: text("user_id").notNull(),
    codeHash: text("code_hash").notNull(),
    usedAt: at("used_at"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.realmId, t.id] }),
    uniqueIndex("recovery_codes_realm_user_hash_key").on(t.realmId, t.userId, t.codeHash),
    index("recovery_codes_realm_user_idx").on(t.realmId, t.userId),
    foreignKey({ columns: [t.realmId, t.userId], foreignColumns: [users.realmId, users.id] }).onDelete(
      "cascade",
    ),
  ],
);
