import { isIP } from "node:net";
import { z } from "zod";
import { env } from "@/lib/env";
import { AppError, type FieldError, parseOrThrow } from "@/lib/errors";
import { isPresetKind, presets } from "./presets";
import type { ProviderFields } from "./providers";
import {
  type FieldMapping,
  GENERIC_KINDS,
  PRESET_KINDS,
  type ProviderConfig,
  type SocialProvider,
} from "./types";

/**
 * What the management API accepts for a provider (`POST` and `PATCH /providers`). Everything a
 * login will rely on is checked here, when an administrator saves it, so that a bad URL is a 422
 * with a field error now rather than a failed login later.
 */

export interface ProviderInputOptions {
  /** GATEHOUSE_ALLOW_INSECURE_UPSTREAM=1: `http://` and private hosts allowed (tests, development). */
  allowInsecureUpstream: boolean;
}

/** The options of this installation: GATEHOUSE_ALLOW_INSECURE_UPSTREAM. */
export function upstreamInputOptions(): ProviderInputOptions {
  return { allowInsecureUpstream: env().GATEHOUSE_ALLOW_INSECURE_UPSTREAM === "1" };
}

const ALL_KINDS = [...PRESET_KINDS, ...GENERIC_KINDS] as const;
const URL_FIELDS = ["issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint"] as const;
const OAUTH2_FIELDS = ["authorization_endpoint", "token_endpoint", "userinfo_endpoint", "mapping"] as const;

/** Loopback, private (RFC 1918, CGNAT, unique local) and link-local literals, and `localhost`. */
function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  const version = isIP(host);
  if (version === 4) {
    const [a = 0, b = 0] = host.split(".").map(Number);
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168)
    );
  }
  if (version === 6) {
    if (host === "::" || host === "::1") return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
    if (mapped?.[1]) return isPrivateHost(mapped[1]);
    // WHATWG writes a mapped IPv4 address in hex (`::ffff:7f00:1`): treat every mapped one as private.
    if (host.startsWith("::ffff:")) return true;
    return /^f[cd]/.test(host) || /^fe[89ab]/.test(host);
  }
  return false;
}

/**
 * An upstream URL: absolute, https (http only with the insecure flag), no user name or password,
 * no fragment, a public host. Stored exactly as given (trimmed): an issuer must match the
 * provider's own spelling, and `new URL()` would add a trailing slash to a bare origin.
 */
function upstreamUrl(options: ProviderInputOptions, { query }: { query: boolean }) {
  return z
    .string()
    .trim()
    .min(1, "field.required")
    .max(2048, "field.too_long")
    .superRefine((raw, ctx) => {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        ctx.addIssue({ code: "custom", message: "url.invalid" });
        return;
      }
      const scheme = url.protocol;
      if (scheme !== "https:" && scheme !== "http:") {
        ctx.addIssue({ code: "custom", message: "url.invalid" });
        return;
      }
      if (
        !/^https?:\/\/[^/]/i.test(raw) ||
        url.username ||
        url.password ||
        raw.includes("#") ||
        /\s/.test(raw) ||
        (!query && url.search)
      ) {
        ctx.addIssue({ code: "custom", message: "url.invalid" });
        return;
      }
      if (options.allowInsecureUpstream) return;
      if (scheme !== "https:") ctx.addIssue({ code: "custom", message: "url.https_required" });
      else if (isPrivateHost(url.hostname)) ctx.addIssue({ code: "custom", message: "url.private_host" });
    });
}

/** A JSON path into the profile: `id`, `data.email`, `emails.0.value`. */
const mappingPath = z
  .string()
  .trim()
  .max(200, "field.too_long")
  .regex(/^[A-Za-z0-9_$:@-]+(\.[A-Za-z0-9_$:@-]+)*$/, "mapping.path_invalid");

const mappingSchema = z.strictObject({
  id: mappingPath,
  email: mappingPath.optional(),
  email_verified: mappingPath.optional(),
  first_name: mappingPath.optional(),
  last_name: mappingPath.optional(),
  name: mappingPath.optional(),
});

/** RFC 6749 section 3.3 scope tokens: printable ASCII without space, `"` or `\`. */
const scopesSchema = z
  .array(
    z
      .string()
      .max(200, "field.too_long")
      .regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, "scope.invalid"),
  )
  .max(30, "list.too_long")
  .refine((list) => new Set(list).size === list.length, "list.duplicate");

function fieldSchemas(options: ProviderInputOptions) {
  return {
    slug: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "provider.slug_invalid"),
    display_name: z.string().trim().min(1, "field.required").max(100, "field.too_long"),
    client_id: z.string().trim().min(1, "field.required").max(512, "field.too_long"),
    // `null` removes the secret (a public client that relies on PKCE alone).
    client_secret: z.string().min(1, "field.required").max(2048, "field.too_long").nullable(),
    scopes: scopesSchema,
    issuer: upstreamUrl(options, { query: false }),
    authorization_endpoint: upstreamUrl(options, { query: true }),
    token_endpoint: upstreamUrl(options, { query: true }),
    userinfo_endpoint: upstreamUrl(options, { query: true }),
    mapping: mappingSchema,
    enabled: z.boolean(),
    position: z.number().int().min(0, "number.too_small").max(10_000, "number.too_big"),
  };
}

const present = (input: unknown, key: string) =>
  typeof input === "object" && input !== null && Object.hasOwn(input, key);

/**
 * Settings that do not belong to the kind: presets carry their own endpoints and mapping, an
 * `oidc` provider has an issuer and no endpoints, an `oauth2` provider endpoints and no issuer.
 */
function kindProblems(kind: string, input: unknown): FieldError[] {
  const errors: FieldError[] = [];
  if (isPresetKind(kind)) {
    for (const field of [...URL_FIELDS, "mapping"])
      if (present(input, field)) errors.push({ field, code: "provider.preset_fixed" });
  } else if (kind === "oidc") {
    for (const field of OAUTH2_FIELDS)
      if (present(input, field)) errors.push({ field, code: "provider.wrong_kind" });
  } else if (kind === "oauth2") {
    if (present(input, "issuer")) errors.push({ field: "issuer", code: "provider.wrong_kind" });
  }
  return errors;
}

function configOf(
  kind: string,
  data: Partial<Record<(typeof URL_FIELDS)[number], string>> & { mapping?: FieldMapping },
): ProviderConfig {
  if (kind === "oidc") return { issuer: data.issuer };
  if (kind === "oauth2")
    return {
      authorization_endpoint: data.authorization_endpoint,
      token_endpoint: data.token_endpoint,
      userinfo_endpoint: data.userinfo_endpoint,
      mapping: data.mapping,
    };
  return {};
}

/** Drops absent optional keys so that a stored config holds only what was configured. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** `POST /providers`: a whole provider, with a preset's defaults filled in. */
export function parseProviderCreate(input: unknown, options: ProviderInputOptions): ProviderFields {
  const f = fieldSchemas(options);
  const kindOnly = z.object({ kind: z.enum(ALL_KINDS) }).safeParse(input);
  const kind = kindOnly.success ? kindOnly.data.kind : undefined;
  const generic = kind === "oidc" || kind === "oauth2";
  const schema = z.strictObject({
    kind: z.enum(ALL_KINDS, "field.invalid"),
    slug: generic ? f.slug : f.slug.optional(),
    display_name: generic ? f.display_name : f.display_name.optional(),
    client_id: f.client_id,
    client_secret: f.client_secret.optional(),
    scopes: f.scopes.optional(),
    issuer: kind === "oidc" ? f.issuer : f.issuer.optional(),
    authorization_endpoint:
      kind === "oauth2" ? f.authorization_endpoint : f.authorization_endpoint.optional(),
    token_endpoint: kind === "oauth2" ? f.token_endpoint : f.token_endpoint.optional(),
    userinfo_endpoint: kind === "oauth2" ? f.userinfo_endpoint : f.userinfo_endpoint.optional(),
    mapping: kind === "oauth2" ? f.mapping : f.mapping.optional(),
    enabled: f.enabled.optional(),
    position: f.position.optional(),
  });
  const data = parseOrThrow(schema, input, kind ? kindProblems(kind, input) : []);
  const preset = isPresetKind(data.kind) ? presets[data.kind] : undefined;
  return {
    slug: data.slug ?? data.kind,
    kind: data.kind,
    displayName: data.display_name ?? preset?.displayName ?? data.kind,
    clientId: data.client_id,
    clientSecret: data.client_secret,
    scopes: data.scopes ?? [],
    config: compact(configOf(data.kind, data)),
    enabled: data.enabled ?? true,
    position: data.position ?? 0,
  };
}

/**
 * `PATCH /providers/{id}`: the given fields change; `client_secret` absent keeps the stored one,
 * `null` removes it. The kind is fixed (a different kind is a different provider); a generic
 * provider's config is the stored one with the given parts replaced.
 */
export function parseProviderPatch(
  existing: SocialProvider,
  input: unknown,
  options: ProviderInputOptions,
): Partial<ProviderFields> {
  const f = fieldSchemas(options);
  const schema = z.strictObject({
    kind: z.unknown().optional(),
    slug: f.slug.optional(),
    display_name: f.display_name.optional(),
    client_id: f.client_id.optional(),
    client_secret: f.client_secret.optional(),
    scopes: f.scopes.optional(),
    issuer: f.issuer.optional(),
    authorization_endpoint: f.authorization_endpoint.optional(),
    token_endpoint: f.token_endpoint.optional(),
    userinfo_endpoint: f.userinfo_endpoint.optional(),
    mapping: f.mapping.optional(),
    enabled: f.enabled.optional(),
    position: f.position.optional(),
  });
  const extra = kindProblems(existing.kind, input);
  if (present(input, "kind") && (input as { kind: unknown }).kind !== existing.kind)
    extra.push({ field: "kind", code: "provider.kind_fixed" });
  const data = parseOrThrow(schema, input, extra);
  const fields: Partial<ProviderFields> = compact({
    slug: data.slug,
    displayName: data.display_name,
    clientId: data.client_id,
    clientSecret: data.client_secret,
    scopes: data.scopes,
    enabled: data.enabled,
    position: data.position,
  });
  if (existing.kind === "oidc" || existing.kind === "oauth2") {
    const config = compact(configOf(existing.kind, data));
    if (Object.keys(config).length > 0) fields.config = { ...existing.config, ...config };
  }
  return fields;
}

/**
 * The settings of a change that decide who an upstream subject is (the issuer, the endpoints, the
 * field holding the id). While identities are linked through the provider they are refused: the
 * same subject from another server is another person, who would log in as the linked user.
 * Create a new provider instead.
 */
export function identityDefiningChanges(existing: SocialProvider, fields: Partial<ProviderFields>): string[] {
  if (!fields.config) return [];
  const before = existing.config;
  const after = fields.config;
  const keys = ["issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint"] as const;
  const changed: string[] = keys.filter((key) => after[key] !== before[key]);
  if (after.mapping?.id !== before.mapping?.id) changed.push("mapping");
  return changed;
}

/** The stored provider a route names, or 404 `social.provider_not_found`. */
export function providerOrNotFound<T>(provider: T | null): T {
  if (!provider) throw new AppError("social.provider_not_found");
  return provider;
}
