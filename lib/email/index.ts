export { addressOf, createMailer, formatSender, type Mailer, type SendEmail, templateUser } from "./mailer";
export {
  backoffMs,
  createOutbox,
  LEASE_MS,
  MAX_ATTEMPTS,
  type NewEmail,
  type Outbox,
  type OutboxEmail,
  RETENTION_DAYS,
} from "./outbox";
export * from "./templates";
export {
  createEmailTokens,
  type EmailToken,
  type EmailTokenPurpose,
  type EmailTokens,
  TOKEN_MINUTES,
} from "./tokens";
