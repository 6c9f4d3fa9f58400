import { z } from "zod";

/** `GET /api/v1/realms/{realm}/users/{id}/mfa`: whether the user has 2FA, since when, codes left. */
export const userMfaOut = z
  .object({
    userId: z.string(),
    enabled: z.boolean(),
    confirmedAt: z.date().nullable(),
    recoveryCodesLeft: z.number().int(),
  })
  .transform((m) => ({
    object: "user_mfa" as const,
    user_id: m.userId,
    enabled: m.enabled,
    methods: m.enabled ? ["totp"] : [],
    confirmed_at: m.confirmedAt?.toISOString() ?? null,
    recovery_codes_left: m.recoveryCodesLeft,
  }));
