import { z } from "zod";

/**
 * Realm settings (DESIGN section 7). Stored as JSON; every read goes through this schema, so a
 * missing key gets its safe default and a new setting needs no data migration.
 */
export const realmSettingsSchema = z.object({
  bcrypt_cost: z.number().int().min(4).max(15).default(12),
  password_min_length: z.number().int().min(1).max(256).default(8),
  password_max_length: z.number().int().min(8).max(1024).default(256),
  session_minutes: z
    .number()
    .int()
    .min(5)
    .max(60 * 24 * 90)
    .default(360),
  token_minutes: z
    .number()
    .int()
    .min(1)
    .max(60 * 24)
    .default(15),
  token_algorithm: z.enum(["RS256", "ES256", "EdDSA", "HS256"]).default("RS256"),
  signup_mode: z.enum(["open", "invitation", "closed"]).default("open"),
  signup_names: z.enum(["off", "optional", "required"]).default("optional"),
  orgs_claim: z.boolean().default(false),
});

export type RealmSettings = z.output<typeof realmSettingsSchema>;

/** The PATCH body: any subset, unknown keys refused. */
export const realmSettingsPatchSchema = realmSettingsSchema.partial().strict();

export function readSettings(stored: unknown): RealmSettings {
  const parsed = realmSettingsSchema.safeParse(stored ?? {});
  // A stored value that no longer parses (a setting narrowed in a later release) falls back to the
  // defaults key by key instead of breaking the realm's login page.
  if (parsed.success) return parsed.data;
  const defaults = realmSettingsSchema.parse({});
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(stored as Record<string, unknown>)) {
    const candidate = realmSettingsSchema.safeParse({ ...defaults, [key]: value });
    if (candidate.success) merged[key] = value;
  }
  return realmSettingsSchema.parse(merged);
}
