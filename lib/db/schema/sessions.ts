import { sql } from "drizzle-orm";
import {
  boolean,
  foreignKey,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { apps } from "./apps";
import { at, createdAt, realmId } from "./columns";
import { users } from "./users";

/** A login session at the portal. The cookie holds a secret; only its SHA-256 is stored. */
export const sessions = pgTable(
  "sessions",
  {
    realmId: realmId(),
    id: text("id").notNull(),
    userId: text("user_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    amr: text("amr").array().notNull().default(sql`'{}'::text[]`),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
    lastSeenAt: at("last_seen_at").notNull().defaultNow(),
    expiresAt: at("expires_at").notNull(),
    /**
     * When this session last proved the user's password: at a password login, or by a correct
     * current password on the profile. Changes to 2FA need it recent (lib/account/recent-auth.ts).
     */
    passwordVerifiedAt: at("password_verified_at"),
  },
  (t) => [
    primaryKey({ columns: [t.realmId, t.id] }),
    uniqueIndex("sessions_realm_token_hash_key").on(t.realmId, t.tokenHash),
    index("sessions_realm_user_idx").on(t.realmId, t.userId),
    foreignKey({ columns: [t.realmId, t.userId], foreignColumns: [users.realmId, users.id] }).onDelete(
      "cascade",
    ),
  ],
);

/**
 * One login attempt (DESIGN section 2.1): which app and return address, what is proven so far,
 * which steps remain. Referenced by a cookie secret; spent when the token is issued.
 */
export const loginFlows = pgTable(
  "login_flows",
  {
    realmId: realmId(),
    id: text("id").notNull(),
    tokenHash: text("token_hash").notNull(),
    /** Null for a login on its way to the realm's own profile page. */
    appId: text("app_id"),
    redirectUri: text("redirect_uri"),
    state: text("state"),
    userId: text("user_id"),
    isSignup: boolean("is_signup").notNull().default(false),
    amr: text("amr").array().notNull().default(sql`'{}'::text[]`),
    pendingSteps: text("pending_steps").array().notNull().default(sql`'{}'::text[]`),
    data: jsonb("data")
      .$type<{ entry?: Record<string, string>; [key: string]: unknown }>()
      .notNull()
      .default({}),
    createdAt: createdAt(),
    expiresAt: at("expires_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.realmId, t.id] }),
    uniqueIndex("login_flows_realm_token_hash_key").on(t.realmId, t.tokenHash),
    index("login_flows_expires_idx").on(t.expiresAt),
    foreignKey({ columns: [t.realmId, t.appId], foreignColumns: [apps.realmId, apps.id] }).onDelete(
      "cascade",
    ),
  ],
);
