/**
 * What an imported password hash may cost. Every login attempt against an account that has not
 * logged in since the import pays this price, so an import must not turn into a CPU or memory
 * bomb. The ceilings are about the work of bcrypt at cost 15 (the highest `bcrypt_cost` a realm
 * may choose, ≈ 2–3 s on one core here) and 128 MiB of memory per verification; at most one
 * verification per core runs at a time (lib/passwords/slots.ts). They still admit the defaults of
 * the common libraries (Django up to 6.x, passlib, argon2-cffi, PHP, Keycloak, Bitwarden, RFC 9106's
 * 64 MiB profile, RustCrypto's scrypt). The floors refuse settings so weak that they are most
 * likely a mistake (PBKDF2 under RFC 8018's 1,000 iterations, scrypt under 1 MiB): such users
 * must reset their password instead. docs/import.md lists all of this for users of the API.
 */
export const hashBounds = {
  bcrypt: { minCost: 4, maxCost: 15 },
  argon2: {
    /** Memory in KiB (`m=`): 1 MiB … 128 MiB. */
    minMemoryKib: 1024,
    maxMemoryKib: 128 * 1024,
    /** Passes (`t=`). */
    minPasses: 1,
    maxPasses: 10,
    /** Memory × passes: 128 MiB × 4 passes, ≈ 1.5 s here. */
    maxWorkKib: 128 * 1024 * 4,
    /** Lanes (`p=`). */
    minLanes: 1,
    maxLanes: 16,
  },
  scrypt: {
    /** N = 2^ln. */
    minLog2N: 10,
    maxLog2N: 20,
    maxBlockSize: 32,
    maxParallelism: 16,
    /** 128 · N · r bytes: 1 MiB … 128 MiB (passlib's default is 64 MiB, RustCrypto's 128 MiB). */
    minMemoryBytes: 1024 * 1024,
    maxMemoryBytes: 128 * 1024 * 1024,
    /** N · r · p: ln=17, r=8, p=1 (≈ 2 s here). */
    maxWork: 2 ** 20,
  },
  pbkdf2: {
    minIterations: 1_000,
    /** ≈ 2 s of PBKDF2-SHA256 here; Django 6.0 uses 1,200,000. */
    maxIterationsSha256: 2_000_000,
    /** SHA-512 costs about twice as much per iteration. */
    maxIterationsSha512: 1_000_000,
  },
  /** Decoded salt and hash lengths in bytes, for every format that carries them. */
  salt: { min: 8, max: 64 },
  hash: { min: 16, max: 64 },
  /** The whole encoded string. */
  maxEncodedLength: 512,
} as const;
