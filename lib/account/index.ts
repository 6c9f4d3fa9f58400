export { type Account, type Actor, createAccount } from "./account";
export { type ChangePasswordForm, changePasswordFormSchema } from "./forms";
