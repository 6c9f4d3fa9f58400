export { type Entry, entryParamsSchema, entryToParams, readEntryParams } from "./entry";
export { loginFormSchema, type SignupPolicy, signupFormSchema } from "./forms";
export {
  type Completion,
  createLoginFlows,
  type LoginFlows,
  type LoginOutcome,
  type StepRequired,
} from "./login-flows";
