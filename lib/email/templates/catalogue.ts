/**
 * The emails Gatehouse sends. Each has a bundled default (./defaults.ts) that a realm may
 * override through the API. The variables every template gets are `user`, `realm`, `app` (null
 * when the flow has no app), `now` and `theme`; the rest are listed per template
 * (./variables.ts documents each one and gives its sample value).
 */
export const TEMPLATE_NAMES = [
  "password_reset",
  "verify_email",
  "change_email",
  "email_changed",
  "new_device",
  "account_locked",
  "welcome",
  "mfa_enabled",
  "mfa_disabled",
  "mfa_reset",
] as const;

export type TemplateName = (typeof TEMPLATE_NAMES)[number];

export const isTemplateName = (name: unknown): name is TemplateName =>
  typeof name === "string" && (TEMPLATE_NAMES as readonly string[]).includes(name);

export interface TemplateUser {
  email: string;
  username: string | null;
  first_name: string | null;
  last_name: string | null;
  /** First and last name, or the email when there is none. */
  name: string;
}

/** The realm's theme tokens (lib/themes) as emails see them: validated colours, no quotes anywhere. */
export interface TemplateTheme {
  color_primary: string;
  color_primary_text: string;
  color_background: string;
  color_surface: string;
  color_text: string;
  color_muted: string;
  radius: string;
  font_family: string;
}

export interface TemplateVars {
  user: TemplateUser;
  realm: { name: string; url: string };
  app: { name: string } | null;
  /** ISO 8601 time of sending. */
  now: string;
  /** Filled in by the templates service from the realm's theme. */
  theme: TemplateTheme;
  /** The one-time link (reset, verify, change). */
  link?: string;
  /** How long the link works. */
  expires_in_minutes?: number;
  /** change_email: the address being confirmed; email_changed: the address it changed to. */
  new_email?: string;
  /** email_changed: the address it changed from (where this notice goes). */
  old_email?: string;
  /** new_device, account_locked: where the login came from; mfa_enabled, mfa_disabled: where the change was made (null: not known). */
  device?: { browser: string | null; os: string | null; ip: string | null };
  /** account_locked: until when the lock holds (ISO 8601). */
  locked_until?: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}
