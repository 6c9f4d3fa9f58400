import {
  foreignKey,
  index,
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
 * Every email is a row here first (the outbox), rendered and ready to send. A background worker
 * claims due rows with `FOR UPDATE SKIP LOCKED`, so several app instances never send one twice,
 * and a crash between claim and send leaves the row to be claimed again when its lease runs out.
 */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    realmId: realmId().references(() => realms.id, { onDelete: "cascade" }),
    id: text("id").notNull(),
    /** The template it was rendered from: `password_reset`, `verify_email`, … */
    template: text("template").notNull(),
    userId: text("user_id"),
    toAddress: text("to_address").notNull(),
    fromAddress: text("from_address").notNull(),
    subject: text("subject").notNull(),
    html: text("html").notNull(),
    text: text("text").notNull(),
    /** `pending` → `sent`, or `failed` after the last attempt. A claimed row stays `pending` with a lease. */
    status: text("status", { enum: ["pending", "sent", "failed"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    /** Not claimed before this time: set on insert, pushed out by backoff and by a claim's lease. */
    nextAttemptAt: at("next_attempt_at").notNull().defaultNow(),
    lastError: text("last_error"),
    /** The SMTP server's message id once accepted. */
    messageId: text("message_id"),
    sentAt: at("sent_at"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.realmId, t.id] }),
    index("email_outbox_due_idx").on(t.status, t.nextAttemptAt),
    index("email_outbox_realm_to_idx").on(t.realmId, t.toAddress, t.createdAt),
  ],
);

/** One row per delivery attempt of an outbox email: when, by which instance, and what happened. */
export const emailAttempts = pgTable(
  "email_attempts",
  {
    realmId: realmId(),
    id: text("id").notNull(),
    emailId: text("email_id").notNull(),
    worker: text("worker").notNull(),
    ok: text("result", { enum: ["sent", "failed"] }).notNull(),
    error: text("error"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.realmId, t.id] }),
    index("email_attempts_email_idx").on(t.realmId, t.emailId),
    foreignKey({
      columns: [t.realmId, t.emailId],
      foreignColumns: [emailOutbox.realmId, emailOutbox.id],
    }).onDelete("cascade"),
  ],
);

/**
 * One-time links sent by email (password reset, email verification, change of email). The link
 * carries a 256-bit secret; only its SHA-256 is stored. Spent by an atomic update, so of many
 * concurrent redemptions exactly one wins.
 */
export const emailTokens = pgTable(
  "email_tokens",
  {
    realmId: realmId(),
    id: text("id").notNull(),
    tokenHash: text("token_hash").notNull(),
    purpose: text("purpose", { enum: ["password_reset", "verify_email", "change_email"] }).notNull(),
    userId: text("user_id").notNull(),
    /** The (normalised) address the link was sent to: verified when the link is used. */
    email: text("email").notNull(),
    /** Entry parameters (app, redirect_uri, state, redir) carried through to the end of the flow. */
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    expiresAt: at("expires_at").notNull(),
    usedAt: at("used_at"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.realmId, t.id] }),
    uniqueIndex("email_tokens_realm_token_hash_key").on(t.realmId, t.tokenHash),
    index("email_tokens_realm_user_idx").on(t.realmId, t.userId, t.purpose),
    foreignKey({ columns: [t.realmId, t.userId], foreignColumns: [users.realmId, users.id] }).onDelete(
      "cascade",
    ),
  ],
);

/** A realm's own wording of an email (Liquid), overriding the bundled default of that template. */
export const emailTemplates = pgTable(
  "email_templates",
  {
    realmId: realmId().references(() => realms.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    subject: text("subject").notNull(),
    html: text("html").notNull(),
    text: text("text").notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.realmId, t.name] })],
);

/** Browsers a user has logged in from (a keyed hash of the device), for "new device" login notices. */
export const knownDevices = pgTable(
  "known_devices",
  {
    realmId: realmId(),
    userId: text("user_id").notNull(),
    deviceHash: text("device_hash").notNull(),
    firstSeenAt: createdAt(),
    lastSeenAt: at("last_seen_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.realmId, t.userId, t.deviceHash] }),
    foreignKey({ columns: [t.realmId, t.userId], foreignColumns: [users.realmId, users.id] }).onDelete(
      "cascade",
    ),
  ],
);
