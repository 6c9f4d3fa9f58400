import { foreignKey, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { at, createdAt, realmId } from "./columns";
import { realms } from "./realms";
import { users } from "./users";

/** Earlier password hashes of a user, for the realm's "refuse the last N" rule. */
export const passwordHistory = pgTable(
  "password_history",
  {
    realmId: realmId(),
    id: text("id").notNull(),
    userId: text("user_id").notNull(),
    hash: text("hash").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.realmId, t.id] }),
    index("password_history_realm_user_idx").on(t.realmId, t.userId, t.createdAt),
    foreignKey({ columns: [t.realmId, t.userId], foreignColumns: [users.realmId, users.id] }).onDelete(
      "cascade",
    ),
  ],
);

/**
 * Counters for brute-force throttling and rate limits, one row per (realm, key), e.g.
 * `acct:<identifier>`, `ip:<address>`, `acct-ip:<identifier>|<address>`, `signup-ip:<address>`.
 * In PostgreSQL so that every app instance sees the same numbers.
 */
export const throttles = pgTable(
  "throttles",
  {
    realmId: realmId().references(() => realms.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    /** Start of the current counting window. */
    windowStartedAt: at("window_started_at").notNull(),
    /** Attempts counted in the window (failures, or hits for plain rate limits). */
    count: integer("count").notNull().default(0),
    /** Failures since the last success: drives the progressive delay. */
    streak: integer("streak").notNull().default(0),
    /** No attempt is evaluated before this time (progressive delay). */
    nextAllowedAt: at("next_allowed_at"),
    lockedUntil: at("locked_until"),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.realmId, t.key] }), index("throttles_updated_idx").on(t.updatedAt)],
);

/** Invitations for realms whose signup mode is `invitation`. The link carries a secret; its hash is stored. */
export const invitations = pgTable(
  "invitations",
  {
    realmId: realmId().references(() => realms.id, { onDelete: "cascade" }),
    id: text("id").notNull(),
    tokenHash: text("token_hash").notNull(),
    /** When set, only this (normalised) address may accept the invitation. */
    email: text("email"),
    expiresAt: at("expires_at").notNull(),
    usedAt: at("used_at"),
    usedBy: text("used_by"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.realmId, t.id] }),
    index("invitations_realm_token_hash_idx").on(t.realmId, t.tokenHash),
  ],
);

/** Proof-of-work challenges already redeemed (single use), kept until they expire. */
export const spentChallenges = pgTable(
  "spent_challenges",
  {
    /** SHA-256 of the challenge's signature. */
    id: text("id").primaryKey(),
    expiresAt: at("expires_at").notNull(),
  },
  (t) => [index("spent_challenges_expires_idx").on(t.expiresAt)],
);
