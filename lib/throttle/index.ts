export { ipBucket, throttleKeys, UNKNOWN_IP } from "./keys";
export { ACCOUNT_FAILURES_PER_HOUR, type LoginRefusal } from "./policy";
export { MFA_LOCK_AFTER, MFA_LOCK_MS } from "./second-factor";
export {
  createThrottle,
  type HitResult,
  type LoginAttempt,
  type SecondFactorAttempt,
  type Throttle,
} from "./throttle";
export { createUserLocks, type UserLocks } from "./user-locks";
