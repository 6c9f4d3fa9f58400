export {
  createEmailVerification,
  type EmailVerification,
  type LinkEntry,
  NO_ENTRY,
  needsVerification,
  QUIET_SECONDS,
} from "./email-verification";
