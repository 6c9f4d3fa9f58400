import { jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./columns";

export const realms = pgTable(
  "realms",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    /** Validated by lib/realms/settings.ts; defaults fill missing keys on read. */
    settings: jsonb("settings").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("realms_slug_key").on(t.slug)],
);

/** Design tokens of a realm's hosted pages (lib/themes); one row per realm, created with it. */
export const themes = pgTable("themes", {
  realmId: text("realm_id")
    .primaryKey()
    .references(() => realms.id, { onDelete: "cascade" }),
  tokens: jsonb("tokens").$type<Record<string, unknown>>().notNull().default({}),
  updatedAt: updatedAt(),
});
