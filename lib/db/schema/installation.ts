import { pgTable, text } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";

/**
 * Secrets of the installation as a whole (not of a realm), generated once on first use and then
 * shared by every app instance on this database, e.g. the HMAC key of proof-of-work challenges.
 * A value from the environment, when configured, takes precedence over the stored one.
 */
export const installationSecrets = pgTable("installation_secrets", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
  createdAt: createdAt(),
});
