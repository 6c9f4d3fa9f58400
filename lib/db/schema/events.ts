import { index, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { createdAt, realmId } from "./columns";
import { realms } from "./realms";

/** Security-relevant actions: who, what, from where. No FK to users: events outlive them. */
export const events = pgTable(
  "events",
  {
    realmId: realmId().references(() => realms.id, { onDelete: "cascade" }),
    id: text("id").notNull(),
    type: text("type").notNull(),
    userId: text("user_id"),
    appId: text("app_id"),
    sessionId: text("session_id"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.realmId, t.id] }),
    index("events_realm_user_idx").on(t.realmId, t.userId),
    index("events_realm_type_idx").on(t.realmId, t.type),
  ],
);
