import { fontStacks, type ThemeTokens } from "@/lib/themes";
import type { TemplateName, TemplateTheme, TemplateVars } from "./catalogue";

/**
 * What each template may print: every variable with its meaning (for designers: the API's
 * `variables` and docs/emails.md) and a realistic sample value (for validation and previews).
 * A template is checked against its own sample: a variable missing here is an unknown variable.
 */
const common: Record<string, string> = {
  "user.email": "The user's email address.",
  "user.username": "The user's username; null unless the realm has usernames.",
  "user.first_name": "First name; null when the user gave none.",
  "user.last_name": "Last name; null when the user gave none.",
  "user.name": "First and last name, or the email address when there is neither.",
  "realm.name": "The realm's name.",
  "realm.url": "The realm's URL: its pages are {{ realm.url }}/login, /signup, /forgot, /profile.",
  "app.name":
    "The application the user came from. `app` is null when there is none: test it with {% if app %}.",
  now: "When the email was rendered: ISO 8601 in UTC. Format it with | date, e.g. {{ now | date: '%-d %B %Y, %H:%M UTC' }}.",
  "theme.color_primary": "The realm's primary colour (#rrggbb), for buttons and links.",
  "theme.color_primary_text": "Text colour on the primary colour.",
  "theme.color_background": "Page background colour.",
  "theme.color_surface": "Card background colour.",
  "theme.color_text": "Body text colour.",
  "theme.color_muted": "Secondary text colour.",
  "theme.radius": "Corner radius, e.g. 8px.",
  "theme.font_family": "CSS font stack of the realm's font (no quotes, safe in style attributes).",
};

const link = (what: string) =>
  `The one-time link that ${what}. Print it as it is (it is escaped like any output).`;
const expires = "How many minutes the link works (60 for a reset, 1440 for a confirmation).";
const device: Record<string, string> = {
  "device.browser": "The browser of the login, e.g. Firefox; null when unknown.",
  "device.os": "Its operating system, e.g. macOS; null when unknown.",
  "device.ip": "The client's IP address; null when unknown.",
};

const specific: Record<TemplateName, Record<string, string>> = {
  password_reset: { link: link("opens the reset page"), expires_in_minutes: expires },
  verify_email: { link: link("confirms the address"), expires_in_minutes: expires },
  change_email: {
    link: link("confirms the new address"),
    expires_in_minutes: expires,
    new_email: "The address being confirmed (this email is sent to it).",
  },
  email_changed: {
    old_email: "The previous address (this notice is sent to it).",
    new_email: "The address the account now uses.",
  },
  new_device: device,
  account_locked: {
    ...device,
    locked_until: "Until when logins from that address are blocked: ISO 8601 in UTC.",
  },
  welcome: {},
  mfa_enabled: {
    "device.browser": "The browser two-step verification was turned on from; null when unknown.",
    "device.os": "Its operating system; null when unknown.",
    "device.ip": "The client's IP address; null when unknown.",
  },
  mfa_disabled: {
    "device.browser": "The browser two-step verification was turned off from; null when unknown.",
    "device.os": "Its operating system; null when unknown.",
    "device.ip": "The client's IP address; null when unknown.",
  },
  mfa_reset: {},
};

/** One variable as the API and the docs list it. */
export interface TemplateVariable {
  name: string;
  description: string;
  example: string | number | null;
}

export interface SampleContext {
  realm: { name: string; url: string };
  now: Date;
  theme: TemplateTheme;
}

/** The theme tokens as emails see them. Font stacks lose their quotes: escaped quotes break CSS. */
export function templateTheme(tokens: ThemeTokens): TemplateTheme {
  return {
    color_primary: tokens.color_primary,
    color_primary_text: tokens.color_primary_text,
    color_background: tokens.color_background,
    color_surface: tokens.color_surface,
    color_text: tokens.color_text,
    color_muted: tokens.color_muted,
    radius: tokens.radius,
    font_family: fontStacks[tokens.font_family].replace(/["']/g, ""),
  };
}

/** Ada Lovelace, coming from an app, asking for this email: every variable set, none null. */
export function sampleVars(name: TemplateName, ctx: SampleContext): TemplateVars {
  const url = ctx.realm.url;
  const base: TemplateVars = {
    user: {
      email: "ada@example.com",
      username: "ada",
      first_name: "Ada",
      last_name: "Lovelace",
      name: "Ada Lovelace",
    },
    realm: { name: ctx.realm.name, url },
    app: { name: "Acme Web" },
    now: ctx.now.toISOString(),
    theme: ctx.theme,
  };
  const token = "Zx9-sample-token-Qm2";
  const device = { browser: "Firefox", os: "macOS", ip: "203.0.113.7" };
  switch (name) {
    case "password_reset":
      return { ...base, link: `${url}/reset?token=${token}`, expires_in_minutes: 60 };
    case "verify_email":
      return { ...base, link: `${url}/verify-email?token=${token}`, expires_in_minutes: 1440 };
    case "change_email":
      return {
        ...base,
        link: `${url}/verify-email?token=${token}`,
        expires_in_minutes: 1440,
        new_email: "ada.lovelace@example.org",
      };
    case "email_changed":
      return { ...base, old_email: "ada@example.com", new_email: "ada.lovelace@example.org" };
    case "new_device":
      return { ...base, device };
    case "account_locked":
      return {
        ...base,
        device,
        locked_until: new Date(ctx.now.getTime() + 60 * 60_000).toISOString(),
      };
    case "welcome":
      return base;
    case "mfa_enabled":
    case "mfa_disabled":
      return { ...base, device };
    case "mfa_reset":
      return base;
  }
}

/**
 * The same email for someone who gave no name, without an app, where the sender knew less:
 * templates must render with it too (an `{% if app %}` must not be the only path tested).
 */
export function sparseVars(vars: TemplateVars): TemplateVars {
  const sparse: TemplateVars = {
    ...vars,
    user: { ...vars.user, username: null, first_name: null, last_name: null, name: vars.user.email },
    app: null,
  };
  if (vars.device) sparse.device = { browser: null, os: null, ip: null };
  return sparse;
}

type Plain = string | number | boolean | null | { [key: string]: Plain };

/** Every leaf of a sample as `a.b` paths with its value. */
function leaves(value: Plain, prefix = ""): Array<[string, Plain]> {
  if (value === null || typeof value !== "object") return [[prefix, value]];
  return Object.entries(value).flatMap(([key, v]) => leaves(v, prefix ? `${prefix}.${key}` : key));
}

/** The variables of a template with their meaning and their value in `sample`. */
export function templateVariables(name: TemplateName, sample: TemplateVars): TemplateVariable[] {
  const described = { ...common, ...specific[name] };
  return leaves(sample as unknown as Plain).map(([path, value]) => ({
    name: path,
    description: described[path] ?? "",
    example: typeof value === "boolean" ? String(value) : (value as string | number | null),
  }));
}

/** The documented variable names of a template (for the consistency test and the docs). */
export const documentedVariables = (name: TemplateName): string[] =>
  Object.keys({ ...common, ...specific[name] });

/**
 * Fills what a sender left out with null, following the sample's shape, so that a template that
 * passed validation never meets an unknown variable when it is sent (strict variables): a notice
 * sent without `device.os` prints an empty value rather than failing.
 */
export function completeVars(name: TemplateName, vars: TemplateVars): TemplateVars {
  const shape = sampleVars(name, { realm: vars.realm, now: new Date(0), theme: vars.theme });
  return fill(shape as unknown as Plain, vars as unknown as Plain) as unknown as TemplateVars;
}

function fill(shape: Plain, value: Plain | undefined): Plain {
  if (value === undefined) return shape !== null && typeof shape === "object" ? nulls(shape) : null;
  if (shape === null || typeof shape !== "object" || value === null || typeof value !== "object")
    return value;
  const out: { [key: string]: Plain } = { ...value };
  for (const [key, sub] of Object.entries(shape)) out[key] = fill(sub, value[key]);
  return out;
}

function nulls(shape: { [key: string]: Plain }): Plain {
  return Object.fromEntries(
    Object.entries(shape).map(([k, v]) => [k, v !== null && typeof v === "object" ? nulls(v) : null]),
  );
}
