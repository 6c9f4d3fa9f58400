export { type Account, type Actor, createAccount } from "./account";
export {
  type ChangeEmailForm,
  type ChangePasswordForm,
  changeEmailFormSchema,
  changePasswordFormSchema,
} from "./forms";
