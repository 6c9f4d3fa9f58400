export {
  currentPasswordSchema,
  emailSchema,
  isWellFormedUsername,
  loginIdentifierSchema,
  nameFieldSchema,
  newPasswordSchema,
  usernameSchema,
} from "./fields";
export { createUserImport, type ImportResult, importLimits, type UserImport } from "./import";
export {
  identityFromInput,
  identityOfUser,
  newPasswordErrors,
  newPasswordErrorsOfInput,
} from "./new-password";
export { normalizeIdentifier } from "./normalize";
export {
  type CreateUserInput,
  type CreateUserOptions,
  createUserInputSchema,
  createUsers,
  type User,
  type Users,
} from "./users";
