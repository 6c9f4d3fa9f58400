export { currentPasswordSchema, emailSchema, nameFieldSchema, newPasswordSchema } from "./fields";
export { createUserImport, type ImportResult, importLimits, type UserImport } from "./import";
export { normalizeIdentifier } from "./normalize";
export { type CreateUserInput, createUserInputSchema, createUsers, type User, type Users } from "./users";
