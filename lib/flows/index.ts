export {
  type AppEntry,
  type Entry,
  entryParamsSchema,
  entryToParams,
  type ProfileEntry,
  profilePageUrl,
  readEntryParams,
  resolveEntry,
} from "./entry";
export {
  HONEYPOT_FIELD,
  INVITATION_FIELD,
  loginFormSchema,
  loginFormSchemaFor,
  type SignupPolicy,
  signupFormSchema,
  type UsernameMode,
} from "./forms";
export {
  type Completion,
  createLoginFlows,
  type LoginFlows,
  type LoginOutcome,
  type StepRequired,
} from "./login-flows";
export type { EmailConfirmation } from "./verify-email-step";
