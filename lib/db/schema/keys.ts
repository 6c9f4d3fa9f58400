import { index, jsonb, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { at, createdAt, realmId } from "./columns";
import { realms } from "./realms";

/** Login-token signing keys; the id is the JWT `kid`. Retired keys stay published until `expiresAt`. */
export const signingKeys = pgTable(
  "signing_keys",
  {
    realmId: realmId().references(() => realms.id, { onDelete: "cascade" }),
    id: text("id").notNull(),
    alg: text("alg", { enum: ["RS256", "ES256", "EdDSA", "HS256"] }).notNull(),
    status: text("status", { enum: ["active", "retired"] })
      .notNull()
      .default("active"),
    publicJwk: jsonb("public_jwk").$type<Record<string, unknown>>(),
    privateJwk: jsonb("private_jwk").$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
    expiresAt: at("expires_at"),
  },
  (t) => [
    primaryKey({ columns: [t.realmId, t.id] }),
    index("signing_keys_realm_status_idx").on(t.realmId, t.status),
  ],
);

/** Realm-scoped management API keys (`ks_…`); only the SHA-256 of the secret is stored. */
export const apiKeys = pgTable(
  "api_keys",
  {
    realmId: realmId().references(() => realms.id, { onDelete: "cascade" }),
    id: text("id").notNull(),
    name: text("name").notNull(),
    keyHash: text("key_hash").notNull(),
    lastUsedAt: at("last_used_at"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.realmId, t.id] }), uniqueIndex("api_keys_key_hash_key").on(t.keyHash)],
);
