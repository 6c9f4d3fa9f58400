import { z } from "zod";
import { parseKeyRing } from "@/lib/crypto/keyring";

/**
 * The environment, parsed once. Anything wrong here stops the process at boot with a message
 * that names the variable, instead of failing on the first request that happens to need it.
 */
// An empty variable (`PORT=`) means "not set", as in most tools, rather than "invalid".
const unsetIfEmpty = (value: unknown) => (value === "" ? undefined : value);

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(1).max(65535).default(3000)),
    PUBLIC_URL: z.preprocess(
      unsetIfEmpty,
      z
        .url({ protocol: /^https?$/ })
        .refine(
          (u) => !/[?#]/.test(u),
          "PUBLIC_URL must be an origin with an optional path, no query or fragment",
        )
        .optional(),
    ),
    DATABASE_URL: z.preprocess(unsetIfEmpty, z.url({ protocol: /^postgres(ql)?$/ }).optional()),
    GATEHOUSE_DATA_DIR: z.string().min(1).default(".data"),
    GATEHOUSE_BOOTSTRAP_API_KEY: z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .min(24, "GATEHOUSE_BOOTSTRAP_API_KEY must be at least 24 characters of random data")
        .max(256)
        .optional(),
    ),
    /**
     * HMAC key of proof-of-work (ALTCHA) challenges. Unset: a key generated once and stored in the
     * database (`installation_secrets`), shared by every instance on that database.
     */
    GATEHOUSE_ALTCHA_HMAC_KEY: z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .min(32, "GATEHOUSE_ALTCHA_HMAC_KEY must be at least 32 characters of random data")
        .max(512)
        .optional(),
    ),
    /**
     * Outgoing mail: `smtp://user:pass@host:587`, `smtps://…:465`; nodemailer's query options apply
     * (`?requireTLS=true`, `?tls.rejectUnauthorized=false`). Unset: mail stays in the outbox and is
     * shown at the development mailbox (`/dev/mailbox`) and on the console.
     */
    SMTP_URL: z.preprocess(unsetIfEmpty, z.url({ protocol: /^smtps?$/ }).optional()),
    /** Default sender of every realm's email, `Name <address>` or a bare address. */
    GATEHOUSE_MAIL_FROM: z.preprocess(unsetIfEmpty, z.string().min(3).max(320).optional()),
    /**
     * Keys that encrypt secrets at rest (TOTP seeds, upstream client secrets): `id:base64key,…`, the
     * first encrypts, all decrypt (rotation: put a new key first, keep the old ones). Unset: a key
     * generated once and stored in the database, with a warning (fine on a laptop, not in production).
     */
    GATEHOUSE_ENCRYPTION_KEYS: z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .max(4096)
        .superRefine((value, ctx) => {
          try {
            parseKeyRing(value);
          } catch (error) {
            ctx.addIssue({
              code: "custom",
              message: `GATEHOUSE_ENCRYPTION_KEYS: ${(error as Error).message}`,
            });
          }
        })
        .optional(),
    ),
    /**
     * `1` lets social-login providers use `http://` and private, loopback or link-local addresses
     * (tests and development against a local OpenID provider). Unset: https to public addresses only.
     */
    GATEHOUSE_ALLOW_INSECURE_UPSTREAM: z.preprocess(unsetIfEmpty, z.enum(["0", "1"]).optional()),
    /**
     * How long a claimed email stays with its worker before another may take it (a worker killed
     * mid-send). Default 120. For tests: shorter brings a killed worker's emails back sooner; the
     * attempt timeout follows (at most half of it), so keep it well above a slow SMTP round trip.
     */
    GATEHOUSE_MAIL_LEASE_SECONDS: z.preprocess(
      unsetIfEmpty,
      z.coerce.number().int().min(2).max(3600).optional(),
    ),
    /** `1` shows the development mailbox even in production (never do this with real users). */
    GATEHOUSE_DEV_MAILBOX: z.preprocess(unsetIfEmpty, z.enum(["0", "1"]).optional()),
    /** Password logins that may wait for a hashing slot before more are refused (default 4 per core). */
    GATEHOUSE_LOGIN_QUEUE: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).max(100_000).optional()),
  })
  // In production, mail must really leave: without SMTP the development transport would mark every
  // email sent, deliver none, and print reset links to the log.
  .refine((raw) => raw.NODE_ENV !== "production" || raw.SMTP_URL || raw.GATEHOUSE_DEV_MAILBOX === "1", {
    path: ["SMTP_URL"],
    message:
      "SMTP_URL must be set in production (or GATEHOUSE_DEV_MAILBOX=1 to keep mail in the development mailbox, never with real users)",
  })
  .transform((raw) => ({
    ...raw,
    PUBLIC_URL: (raw.PUBLIC_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, ""),
  }));

export type Env = z.output<typeof envSchema>;

let cached: Env | undefined;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return result.data;
}

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
