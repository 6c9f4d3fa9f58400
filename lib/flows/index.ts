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
export { loginFormSchema, type SignupPolicy, signupFormSchema } from "./forms";
export { type Completion, createLoginFlows, type LoginFlows } from "./login-flows";
