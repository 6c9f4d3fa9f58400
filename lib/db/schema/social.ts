import { sql } from "drizzle-orm";
import {
  boolean,
  foreignKey,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { at, createdAt, realmId, updatedAt } from "./columns";
import { realms } from "./realms";
import { users } from "./users";

/**
 * An upstream identity provider a realm offers on its login page ("Continue with Google"). Providers
 * are data: each realm brings its own OAuth client. The client secret is encrypted at rest with the
 * installation's key ring (lib/crypto/keyring.ts) and never leaves the server.
 */
export const socialProviders = pgTable(
  "social_providers",
  {
    realmId: realmId().references(() => realms.id, { onDelete: "cascade" }),
    id: text("id").notNull(),
    /** The URL segment: `/{realm}/login/social/{slug}`; unique in the realm. */
    slug: text("slug").notNull(),
    /** A preset (`google`, `github`, …) or `oidc` / `oauth2` (generic, endpoints in `config`). */
    kind: text("kind").notNull(),
    /** The button's label: "Continue with {display_name}". */
    displayName: text("display_name").notNull(),
    clientId: text("client_id").notNull(),
    clientSecretSealed: text("client_secret_sealed"),
    scopes: text("scopes").array().notNull().default(sql`'{}'::text[]`),
    /** Generic providers' issuer or endpoints and field mapping (lib/social/config.ts). */
    config: jsonb("config").$type<Record<string, unknown>>().notNull().default({}),
    /** Hidden providers keep their identities but show no button and refuse new logins. */
    enabled: boolean("enabled").notNull().default(true),
    /** Buttons are shown in ascending order (then by creation). */
    position: integer("position").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.realmId, t.id] }),
    uniqueIndex("social_providers_realm_slug_key").on(t.realmId, t.slug),
  ],
);

/**
 * An upstream account `(provider, subject)` linked to one user: the user logs in with it. The
 * email is what the provider asserted at the last login (for display; matching uses the subject).
 */
export const userIdentities = pgTable(
  "user_identities",
  {
    realmId: realmId(),
    id: text("id").notNull(),
    userId: text("user_id").notNull(),
    providerId: text("provider_id").notNull(),
    /** The provider's stable id of the account (OIDC `sub`, GitHub's numeric id, …). */
    subject: text("subject").notNull(),
    email: text("email"),
    emailVerified: boolean("email_verified").notNull().default(false),
    createdAt: createdAt(),
    lastLoginAt: at("last_login_at"),
  },
  (t) => [
    primaryKey({ columns: [t.realmId, t.id] }),
    uniqueIndex("user_identities_realm_provider_subject_key").on(t.realmId, t.providerId, t.subject),
    // One identity per provider and user (a second Google account would be ambiguous); it also
    // serves lookups by user.
    uniqueIndex("user_identities_realm_user_provider_key").on(t.realmId, t.userId, t.providerId),
    foreignKey({ columns: [t.realmId, t.userId], foreignColumns: [users.realmId, users.id] }).onDelete(
      "cascade",
    ),
    foreignKey({
      columns: [t.realmId, t.providerId],
      foreignColumns: [socialProviders.realmId, socialProviders.id],
    }).onDelete("cascade"),
  ],
);
