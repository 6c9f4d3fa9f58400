import { text, timestamp } from "drizzle-orm/pg-core";

/** Shared column builders, so every table spells time and tenancy the same way. */
export const realmId = () => text("realm_id").notNull();
export const createdAt = () =>
  timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
export const updatedAt = () =>
  timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
export const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
