export { currentPasswordSchema, emailSchema, nameFieldSchema, newPasswordSchema } from "./fields";
export { identityFromInput, newPasswordErrors, newPasswordErrorsOfInput } from "./new-password";
export { normalizeIdentifier } from "./normalize";
export { type CreateUserInput, createUserInputSchema, createUsers, type User, type Users } from "./users";
