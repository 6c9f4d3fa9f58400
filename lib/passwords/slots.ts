import { availableParallelism } from "node:os";
import { createSemaphore } from "./semaphore";

/**
 * One bounded queue for every password hash and verification, whatever the algorithm: bcrypt,
 * argon2, scrypt and PBKDF2 all run on threads outside the event loop, and together they must not
 * take more of them than there are cores (shared/STACK-NOTES.md).
 */
export const hashingSlots = createSemaphore(Math.max(1, availableParallelism()));
