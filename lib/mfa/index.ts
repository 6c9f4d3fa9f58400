export { createMfa, type Enrolment, type Mfa, type MfaStatus } from "./mfa";
export { holdsPermission, permissionsOverlap } from "./permissions";
export { createMfaPolicy, type MfaPolicy } from "./policy";
export { qrDataUrl } from "./qr";
export {
  hashRecoveryCode,
  newRecoveryCodes,
  normalizeRecoveryCode,
  RECOVERY_CODE_COUNT,
} from "./recovery-codes";
export {
  groupedKey,
  matchTotpStep,
  newTotpSecret,
  normalizeTotpCode,
  stepAt,
  totpCode,
  totpUri,
} from "./totp";
