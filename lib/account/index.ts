export { type Account, type Actor, createAccount } from "./account";
export {
  type ChangeEmailForm,
  type ChangePasswordForm,
  changeEmailFormSchema,
  changePasswordFormSchema,
  confirmPasswordFormSchema,
  disableMfaFormSchema,
  totpConfirmFormSchema,
} from "./forms";
export { hasRecentPassword, RECENT_AUTH_MINUTES, recentAuthUntil } from "./recent-auth";
export type { ApiActor, TwoFactorView } from "./two-factor";
