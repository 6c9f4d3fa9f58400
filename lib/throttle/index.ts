export { ipBucket, throttleKeys, UNKNOWN_IP } from "./keys";
export { ACCOUNT_FAILURES_PER_HOUR, type LoginRefusal } from "./policy";
export { createThrottle, type HitResult, type LoginAttempt, type Throttle } from "./throttle";
export { createUserLocks, type UserLocks } from "./user-locks";
