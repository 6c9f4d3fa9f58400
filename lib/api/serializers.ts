import { z } from "zod";
import { messagesFor, translator } from "@/lib/i18n";
import { describeDevice, deviceLabel } from "@/lib/sessions/device";

/**
 * Response shapes of the management API. Every body passes through one of these; fields not named
 * here (hashes, secrets, internal columns) are stripped even if a row carries them.
 */
const iso = z.date().transform((d) => d.toISOString());
/** The API speaks English, like its error messages. */
const englishText = translator(messagesFor("en"));

/** Settings that work but that current guidance advises against, said where the admin sees them. */
function settingWarnings(settings: Record<string, unknown>): string[] {
  const warnings: string[] = [];
  if (settings.password_expiry_days !== null && settings.password_expiry_days !== undefined) {
    warnings.push(
      "password_expiry_days: NIST SP 800-63B advises against periodic password expiry; it tends to " +
        "produce weaker, predictable passwords. Prefer a strength threshold and the blocklist.",
    );
  }
  return warnings;
}

export const realmOut = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    url: z.string(),
    settings: z.record(z.string(), z.unknown()),
    createdAt: iso,
    updatedAt: iso,
  })
  .transform((r) => ({
    object: "realm" as const,
    id: r.id,
    slug: r.slug,
    name: r.name,
    url: r.url,
    settings: r.settings,
    warnings: settingWarnings(r.settings),
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  }));

export const appOut = z
  .object({
    id: z.string(),
    realmId: z.string(),
    name: z.string(),
    redirectUris: z.array(z.string()),
    allowSubpaths: z.boolean(),
    createdAt: iso,
    updatedAt: iso,
  })
  .transform((a) => ({
    object: "app" as const,
    id: a.id,
    realm_id: a.realmId,
    name: a.name,
    redirect_uris: a.redirectUris,
    allow_subpaths: a.allowSubpaths,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  }));

export const userOut = z
  .object({
    id: z.string(),
    realmId: z.string(),
    email: z.string(),
    username: z.string().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    emailVerified: z.boolean(),
    state: z.string(),
    lastLoginAt: z.date().nullable(),
    createdAt: iso,
    updatedAt: iso,
  })
  .transform((u) => ({
    object: "user" as const,
    id: u.id,
    realm_id: u.realmId,
    email: u.email,
    username: u.username,
    first_name: u.firstName,
    last_name: u.lastName,
    name: [u.firstName, u.lastName].filter(Boolean).join(" ") || null,
    email_verified: u.emailVerified,
    state: u.state,
    last_login_at: u.lastLoginAt?.toISOString() ?? null,
    created_at: u.createdAt,
    updated_at: u.updatedAt,
  }));

/** Password facts for one user (`GET /users/{id}`): never the hash; null without a password. */
export const passwordStatusOut = z
  .object({ mustChange: z.boolean(), changedAt: iso })
  .nullable()
  .transform((p) => (p ? { must_change: p.mustChange, changed_at: p.changedAt } : null));

export const apiKeyOut = z
  .object({
    id: z.string(),
    realmId: z.string(),
    name: z.string(),
    lastUsedAt: z.date().nullable(),
    createdAt: iso,
  })
  .transform((k) => ({
    object: "api_key" as const,
    id: k.id,
    realm_id: k.realmId,
    name: k.name,
    last_used_at: k.lastUsedAt?.toISOString() ?? null,
    created_at: k.createdAt,
  }));

export const invitationOut = z
  .object({
    id: z.string(),
    realmId: z.string(),
    email: z.string().nullable(),
    status: z.enum(["pending", "used", "expired"]),
    expiresAt: iso,
    usedAt: z.date().nullable(),
    usedBy: z.string().nullable(),
    createdAt: iso,
  })
  .transform((i) => ({
    object: "invitation" as const,
    id: i.id,
    realm_id: i.realmId,
    email: i.email,
    status: i.status,
    expires_at: i.expiresAt,
    used_at: i.usedAt?.toISOString() ?? null,
    used_by: i.usedBy,
    created_at: i.createdAt,
  }));
/** A live session of a user. The token hash never leaves: it is not named here. */
export const sessionOut = z
  .object({
    id: z.string(),
    realmId: z.string(),
    userId: z.string(),
    amr: z.array(z.string()),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    createdAt: iso,
    lastSeenAt: iso,
    expiresAt: iso,
  })
  .transform((s) => {
    const device = describeDevice(s.userAgent);
    return {
      object: "session" as const,
      id: s.id,
      realm_id: s.realmId,
      user_id: s.userId,
      created_at: s.createdAt,
      last_seen_at: s.lastSeenAt,
      expires_at: s.expiresAt,
      ip: s.ip,
      user_agent: s.userAgent,
      device: { browser: device.browser, os: device.os, label: deviceLabel(device, englishText) },
      amr: s.amr,
    };
  });

export function serializePage<T, S extends z.ZodType>(
  page: { data: T[]; has_more: boolean; next_after: string | null },
  schema: S,
) {
  return {
    object: "list" as const,
    data: page.data.map((row) => schema.parse(row) as z.output<S>),
    has_more: page.has_more,
    next_after: page.next_after,
  };
}
