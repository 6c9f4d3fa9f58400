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
export {
  createRecentAuth,
  hasRecentPassword,
  isRecent,
  RECENT_AUTH_MINUTES,
  type ReauthMethod,
  type RecentAuthStatus,
  recentAuthUntil,
} from "./recent-auth";
export type { ApiActor, TwoFactorView } from "./two-factor";
