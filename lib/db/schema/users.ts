import { sql } from "drizzle-orm";
import { boolean, foreignKey, index, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { at, createdAt, realmId, updatedAt } from "./columns";
import { realms } from "./realms";

export const users = pgTable(
  "users",
  {
    realmId: realmId().references(() => realms.id, { onDelete: "cascade" }),
    id: text("id").notNull(),
    /** NFKC + lower case (lib/users/normalize.ts). */
    email: text("email").notNull(),
    username: text("username"),
    firstName: text("first_name"),
    lastName: text("last_name"),
    emailVerified: boolean("email_verified").notNull().default(false),
    state: text("state", { enum: ["active", "inactive"] })
      .notNull()
      .default("active"),
    lastLoginAt: at("last_login_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.realmId, t.id] }),
    uniqueIndex("users_realm_email_key").on(t.realmId, t.email),
    uniqueIndex("users_realm_username_key").on(t.realmId, t.username).where(sql`${t.username} is not null`),
  ],
);

export const passwordCredentials = pgTable(
  "password_credentials",
  {
    realmId: realmId(),
    userId: text("user_id").notNull(),
    /** A PHC/modular-crypt string; its prefix names the algorithm. */
    hash: text("hash").notNull(),
    mustChange: boolean("must_change").notNull().default(false),
    /** When the user last chose this password (not touched by a transparent re-hash): drives expiry. */
    changedAt: at("changed_at").notNull().defaultNow(),
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

export const orgs = pgTable(
  "orgs",
  {
    realmId: realmId().references(() => realms.id, { onDelete: "cascade" }),
    id: text("id").notNull(),
    name: text("name").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.realmId, t.id] })],
);

export const memberships = pgTable(
  "memberships",
  {
    realmId: realmId(),
    id: text("id").notNull(),
    userId: text("user_id").notNull(),
    orgId: text("org_id").notNull(),
    /** `:`-nested strings, `*` wildcard at a segment. */
    permissions: text("permissions").array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.realmId, t.id] }),
    uniqueIndex("memberships_realm_user_org_key").on(t.realmId, t.userId, t.orgId),
    index("memberships_realm_org_idx").on(t.realmId, t.orgId),
    foreignKey({ columns: [t.realmId, t.userId], foreignColumns: [users.realmId, users.id] }).onDelete(
      "cascade",
    ),
    foreignKey({ columns: [t.realmId, t.orgId], foreignColumns: [orgs.realmId, orgs.id] }).onDelete(
      "cascade",
    ),
  ],
);
