import { z } from "zod";

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
