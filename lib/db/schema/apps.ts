import { sql } from "drizzle-orm";
import { boolean, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { createdAt, realmId, updatedAt } from "./columns";
import { realms } from "./realms";

export const apps = pgTable(
  "apps",
  {
    realmId: realmId().references(() => realms.id, { onDelete: "cascade" }),
    id: text("id").notNull(),
    name: text("name").notNull(),
    /** Stored normalised (lib/apps/redirect-uri.ts); the first is the default return address. */
    redirectUris: text("redirect_uris").array().notNull().default(sql`'{}'::text[]`),
    allowSubpaths: boolean("allow_subpaths").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.realmId, t.id] })],
);
