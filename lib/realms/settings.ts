import { z } from "zod";

/** An email domain in a signup allow/deny list: `example.com` (its subdomains match too). */
const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253, "field.too_long")
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "domain.invalid");

/**
 * Realm settings (DESIGN section 7). Stored as JSON; every read goes through this schema, so a
 * missing key gets its safe default and a new setting needs no data migration.
 */
const settingFields = {
  bcrypt_cost: z.number().int().min(4).max(15),
  password_min_length: z.number().int().min(1).max(256),
  password_max_length: z.number().int().min(8).max(1024),
  session_minutes: z
    .number()
    .int()
    .min(5)
    .max(60 * 24 * 90),
  token_minutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24),
  token_algorithm: z.enum(["RS256", "ES256", "EdDSA", "HS256"]),
  signup_mode: z.enum(["open", "invitation", "closed"]),
  signup_names: z.enum(["off", "optional", "required"]),

  // Password policy (DESIGN section 7). Enforced wherever a password is chosen: API, signup, change, reset.
  /** zxcvbn score 0–4 a new password must reach; ≥ 1 shows a strength meter on the pages. */
  password_strength_min: z.number().int().min(0).max(4),
  /** Character classes a new password must contain (NIST advises against requiring any). */
  password_required_classes: z
    .array(z.enum(["lower", "upper", "digit", "symbol"]))
    .max(4)
    .refine((list) => new Set(list).size === list.length, "list.duplicate"),
  /** Refuse passwords found in the bundled common-password dictionary (offline). */
  password_blocklist: z.boolean(),
  /** Refuse a new password equal to one of the user's last N. */
  password_history: z.number().int().min(0).max(24),
  /** Days after which a password must be changed at the next login; null = never (NIST's advice). */
  password_expiry_days: z.number().int().min(1).max(3650).nullable(),

  /** `email`: the email is the login name. `separate`: users also have a username; login takes either. */
  username_mode: z.enum(["email", "separate"]),

  // Brute-force throttling (lib/throttle). Counters live in PostgreSQL, so they hold across instances.
  /** Failures per account after which each further attempt waits longer (progressive delay). */
  login_delay_after_failures: z.number().int().min(1).max(50),
  /** Failures per account and IP within an hour that lock that pair. At most 100 (the hard cap). */
  login_lock_after_failures: z.number().int().min(3).max(100),
  login_lock_minutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  /** Failed logins per IP address and hour, across all accounts (credential stuffing). */
  login_ip_failures_per_hour: z.number().int().min(10).max(100_000),

  // Signup abuse.
  signup_ip_per_hour: z.number().int().min(1).max(100_000),
  /** When non-empty, only these email domains may sign up (exact domain or its subdomains). */
  signup_email_domains_allow: z.array(domainSchema).max(500),
  signup_email_domains_deny: z.array(domainSchema).max(500),
  /** Self-hosted proof-of-work challenge (ALTCHA) on signup and forgot-password. */
  signup_altcha: z.boolean(),

  // Sessions.
  max_sessions_per_user: z.number().int().min(1).max(1000),
  session_limit_policy: z.enum(["evict_oldest", "refuse_new"]),

  // Email (lib/email).
  /** `off`; `request`: a link is sent, login works while pending; `require`: no token until verified. */
  email_verification: z.enum(["off", "request", "require"]),
  /** Sender of the realm's emails, `Name <address>`; null = the installation's GATEHOUSE_MAIL_FROM. */
  email_from: z
    .string()
    .trim()
    .max(320, "field.too_long")
    .regex(/^[^\r\n<>]{0,200}<[^\s@<>]+@[^\s@<>]+>$|^[^\s@<>]+@[^\s@<>]+$/, "email_from.invalid")
    .nullable(),
  /** Send the `welcome` email to new accounts: at signup, or once the address is confirmed when it must be. */
  email_welcome: z.boolean(),
  /** Email the user when they log in from a browser they have not used before (opt-in). */
  login_notice_new_device: z.boolean(),
  /** Email the user when failed attempts lock their account (opt-in). */
  login_notice_locked: z.boolean(),
  /** Password-reset requests per IP address and hour. */
  reset_ip_per_hour: z.number().int().min(1).max(100_000),
  /** Reset and verification emails per recipient and hour (the rest are answered alike and not sent). */
  email_per_recipient_per_hour: z.number().int().min(1).max(100),

  // Two-factor authentication (lib/mfa).
  /** `optional`; `required`: everyone, enrolled during login; `permission`: members holding `mfa_permission`. */
  mfa_policy: z.enum(["optional", "required", "permission"]),
  /** The permission that requires 2FA under `mfa_policy: permission` (`:`-nested, `*` wildcard). */
  mfa_permission: z
    .string()
    .trim()
    .min(1, "field.required")
    .max(200, "field.too_long")
    .regex(/^[a-z0-9_*.-]+(:[a-z0-9_*.-]+)*$/i, "field.invalid")
    .nullable(),

  // Social login (lib/social).
  /** Password login, signup with a password and password reset; off: a social-only realm. */
  password_login: z.boolean(),
  /**
   * Link a new upstream identity to the existing user with the same address without asking for the
   * password, when the provider asserts the address verified and the user's own is confirmed.
   */
  social_auto_link: z.boolean(),
};

export const settingDefaults = {
  bcrypt_cost: 12,
  password_min_length: 8,
  password_max_length: 256,
  session_minutes: 360,
  token_minutes: 15,
  token_algorithm: "RS256",
  signup_mode: "open",
  signup_names: "optional",
  password_strength_min: 2,
  password_required_classes: [],
  password_blocklist: true,
  password_history: 0,
  password_expiry_days: null,
  username_mode: "email",
  login_delay_after_failures: 5,
  login_lock_after_failures: 100,
  login_lock_minutes: 60,
  login_ip_failures_per_hour: 1000,
  signup_ip_per_hour: 20,
  signup_email_domains_allow: [],
  signup_email_domains_deny: [],
  signup_altcha: false,
  max_sessions_per_user: 10,
  session_limit_policy: "evict_oldest",
  email_verification: "request",
  email_from: null,
  email_welcome: false,
  login_notice_new_device: false,
  login_notice_locked: false,
  reset_ip_per_hour: 30,
  email_per_recipient_per_hour: 5,
  mfa_policy: "optional",
  mfa_permission: null,
  password_login: true,
  social_auto_link: false,
} as const satisfies { [K in keyof typeof settingFields]: z.output<(typeof settingFields)[K]> };

export const realmSettingsSchema = z.object(settingFields);

export type RealmSettings = z.output<typeof realmSettingsSchema>;

/** The PATCH body: any subset, unknown keys refused; absent keys stay as they are (no defaults here). */
export const realmSettingsPatchSchema = realmSettingsSchema.partial().strict();

export function readSettings(stored: unknown): RealmSettings {
  const candidate = { ...settingDefaults, ...(stored as Record<string, unknown> | null) };
  const parsed = realmSettingsSchema.safeParse(candidate);
  // A stored value that no longer parses (a setting narrowed in a later release) falls back to the
  // defaults key by key instead of breaking the realm's login page.
  if (parsed.success && parsed.data.password_min_length <= parsed.data.password_max_length)
    return parsed.data;
  const merged: Record<string, unknown> = { ...settingDefaults };
  for (const [key, value] of Object.entries(stored as Record<string, unknown>)) {
    if (realmSettingsSchema.safeParse({ ...settingDefaults, [key]: value }).success) merged[key] = value;
  }
  const settings = realmSettingsSchema.parse(merged);
  if (settings.password_min_length > settings.password_max_length) {
    settings.password_min_length = settingDefaults.password_min_length;
    settings.password_max_length = settingDefaults.password_max_length;
  }
  return settings;
}
