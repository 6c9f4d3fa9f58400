import type { RenderedEmail, TemplateName } from "./catalogue";

/**
 * The bundled wording of every email, in Liquid: what a realm gets until it saves its own, and
 * the starting point designers copy (`GET …/email_templates/{name}` returns it as `default`).
 *
 * The HTML is built to be read by everyone, everywhere: `lang`, layout tables marked
 * `role="presentation"` so screen readers skip them, one `<h1>`, text of at least 16px in the
 * realm's theme colours (AA contrast by default), a button that is a table cell (so Outlook keeps
 * its padding) followed by the same link in plain text, and colours that hold up in dark mode
 * (`color-scheme` plus a `prefers-color-scheme` block for clients that honour it; the button keeps
 * its own foreground and background). Every `{{ output }}` is HTML-escaped by the engine; links are
 * built by Gatehouse from the realm's URL and print correctly escaped (`&` becomes `&amp;`, which is
 * what an `href` needs).
 */

const text = "font-size:16px;line-height:1.5;margin:0 0 16px";

const layout = (preheader: string, heading: string, body: string) => `<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>{{ realm.name }}</title>
<style>
@media (prefers-color-scheme: dark) {
  .gh-bg { background-color: #16181d !important; }
  .gh-card { background-color: #23262e !important; }
  .gh-text { color: #e9eaef !important; }
  .gh-muted { color: #b6bac6 !important; }
  .gh-link { color: #a9b8ff !important; }
}
</style>
</head>
<body class="gh-bg" style="margin:0;padding:0;background-color:{{ theme.color_background }}">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all">${preheader}</div>
<table role="presentation" class="gh-bg" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:{{ theme.color_background }}">
<tr><td align="center" style="padding:24px 12px">
<table role="presentation" class="gh-card" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background-color:{{ theme.color_surface }};border-radius:{{ theme.radius }}">
<tr><td class="gh-text" style="padding:32px;font-family:{{ theme.font_family }};color:{{ theme.color_text }}">
<p style="margin:0 0 24px;font-size:18px;font-weight:bold">{{ realm.name }}</p>
<h1 style="margin:0 0 16px;font-size:22px;line-height:1.3;font-weight:bold">${heading}</h1>
${body}
</td></tr>
</table>
<p class="gh-muted" style="margin:16px 0 0;font-family:{{ theme.font_family }};font-size:13px;line-height:1.5;color:{{ theme.color_muted }}">Sent by {{ realm.name }} · <a class="gh-link" href="{{ realm.url }}" style="color:{{ theme.color_muted }}">{{ realm.url }}</a></p>
</td></tr>
</table>
</body>
</html>
`;

const p = (content: string) => `<p style="${text}">${content}</p>`;

/** Hello + the user's name, or the email address when they gave no name. */
const hello = p("Hello {{ user.name }},");

const button = (
  label: string,
) => `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:24px 0">
<tr><td style="border-radius:{{ theme.radius }};background-color:{{ theme.color_primary }}">
<a href="{{ link }}" style="display:inline-block;padding:12px 24px;border-radius:{{ theme.radius }};font-size:16px;font-weight:bold;color:{{ theme.color_primary_text }};text-decoration:none">${label}</a>
</td></tr>
</table>
<p class="gh-muted" style="font-size:14px;line-height:1.5;margin:0 0 16px;color:{{ theme.color_muted }}">If the button does not work, paste this address into your browser:<br><a class="gh-link" href="{{ link }}" style="color:{{ theme.color_primary }};word-break:break-all">{{ link }}</a></p>`;

/** "60 minutes", "24 hours": how long a link works. */
const validity =
  "{% if expires_in_minutes >= 120 %}{{ expires_in_minutes | divided_by: 60 | round }} hours{% else %}{{ expires_in_minutes }} minutes{% endif %}";

const when = (variable: string) => `{{ ${variable} | date: "%-d %B %Y at %H:%M UTC" }}`;

/** Where the login came from, with words for what the sender did not know. */
const device =
  '{{ device.browser | default: "An unknown browser" }} on {{ device.os | default: "an unknown system" }}, from {{ device.ip | default: "an unknown address" }}';

/** The text part's signature. */
const signature = `
-- 
{{ realm.name }}
{{ realm.url }}
`;

export const defaultTemplates: Record<TemplateName, RenderedEmail> = {
  password_reset: {
    subject: "Reset your {{ realm.name }} password",
    html: layout(
      "Choose a new password with the link inside.",
      "Reset your password",
      `${hello}
${p("Someone asked to reset the password of your {{ realm.name }} account{% if app %} for {{ app.name }}{% endif %}. If it was you, choose a new password here:")}
${button("Choose a new password")}
${p(`The link works for ${validity} and only once. If you did not ask for it, ignore this email: your password stays as it is.`)}`,
    ),
    text: `Hello {{ user.name }},

Someone asked to reset the password of your {{ realm.name }} account{% if app %} for {{ app.name }}{% endif %}. If it was you, choose a new password here:

{{ link }}

The link works for ${validity} and only once. If you did not ask for it, ignore this email: your password stays as it is.
${signature}`,
  },
  verify_email: {
    subject: "Confirm your email address for {{ realm.name }}",
    html: layout(
      "One click to confirm your email address.",
      "Confirm your email address",
      `${hello}
${p("Please confirm that {{ user.email }} is your email address.")}
${button("Confirm my address")}
${p(`The link works for ${validity}. If you did not create an account at {{ realm.name }}, ignore this email.`)}`,
    ),
    text: `Hello {{ user.name }},

Please confirm that {{ user.email }} is your email address:

{{ link }}

The link works for ${validity}. If you did not create an account at {{ realm.name }}, ignore this email.
${signature}`,
  },
  change_email: {
    subject: "Confirm your new email address for {{ realm.name }}",
    html: layout(
      "Confirm your new email address to make the change.",
      "Confirm your new email address",
      `${hello}
${p("You asked to change the email address of your {{ realm.name }} account to {{ new_email }}. Confirm it to make the change:")}
${button("Confirm the new address")}
${p(`Until then your account keeps its current address. The link works for ${validity}. If you did not ask for this, ignore this email.`)}`,
    ),
    text: `Hello {{ user.name }},

You asked to change the email address of your {{ realm.name }} account to {{ new_email }}. Confirm it to make the change:

{{ link }}

Until then your account keeps its current address. The link works for ${validity}. If you did not ask for this, ignore this email.
${signature}`,
  },
  email_changed: {
    subject: "The email address of your {{ realm.name }} account was changed",
    html: layout(
      "Your account now uses another email address.",
      "Your email address was changed",
      `${hello}
${p("The email address of your {{ realm.name }} account was changed from {{ old_email }} to {{ new_email }}.")}
${p("If you did not make this change, contact {{ realm.name }} right away: someone else may have access to your account.")}`,
    ),
    text: `Hello {{ user.name }},

The email address of your {{ realm.name }} account was changed from {{ old_email }} to {{ new_email }}.

If you did not make this change, contact {{ realm.name }} right away: someone else may have access to your account.
${signature}`,
  },
  new_device: {
    subject: "New login to your {{ realm.name }} account",
    html: layout(
      "Your account was used from a browser it had not seen before.",
      "New login to your account",
      `${hello}
${p("Your {{ realm.name }} account was just used to log in from a browser it had not seen before:")}
${p(`<strong>${device}</strong>, on ${when("now")}.`)}
${p('If this was you, there is nothing to do. If not, <a class="gh-link" href="{{ realm.url }}/forgot" style="color:{{ theme.color_primary }}">reset your password</a> right away.')}`,
    ),
    text: `Hello {{ user.name }},

Your {{ realm.name }} account was just used to log in from a browser it had not seen before:

${device}, on ${when("now")}.

If this was you, there is nothing to do. If not, reset your password right away:

{{ realm.url }}/forgot
${signature}`,
  },
  account_locked: {
    subject: "Your {{ realm.name }} account was locked after failed logins",
    html: layout(
      "Logins to your account were blocked after many failed attempts.",
      "Your account was locked",
      `${hello}
${p(`After many failed login attempts from {{ device.ip | default: "one address" }}, logins to your {{ realm.name }} account from there are blocked until ${when("locked_until")}.`)}
${p('If these attempts were not yours, someone may be guessing your password: <a class="gh-link" href="{{ realm.url }}/forgot" style="color:{{ theme.color_primary }}">choose a new one</a>.')}`,
    ),
    text: `Hello {{ user.name }},

After many failed login attempts from {{ device.ip | default: "one address" }}, logins to your {{ realm.name }} account from there are blocked until ${when("locked_until")}.

If these attempts were not yours, someone may be guessing your password. Choose a new one here:

{{ realm.url }}/forgot
${signature}`,
  },
  mfa_enabled: {
    subject: "Two-step verification is on for your {{ realm.name }} account",
    html: layout(
      "Logins to your account now need a code from your authenticator app.",
      "Two-step verification is on",
      `${hello}
${p("Two-step verification was turned on for your {{ realm.name }} account. From now on, logging in needs your password and a code from your authenticator app.")}
${p(`Turned on from <strong>${device}</strong>, on ${when("now")}.`)}
${p("Keep your recovery codes somewhere safe: each one lets you in once if you lose your phone.")}
${p('If you did not do this, someone else may know your password: <a class="gh-link" href="{{ realm.url }}/forgot" style="color:{{ theme.color_primary }}">choose a new one</a> right away.')}`,
    ),
    text: `Hello {{ user.name }},

Two-step verification was turned on for your {{ realm.name }} account. From now on, logging in needs your password and a code from your authenticator app.

Turned on from ${device}, on ${when("now")}.

Keep your recovery codes somewhere safe: each one lets you in once if you lose your phone.

If you did not do this, someone else may know your password. Choose a new one right away:

{{ realm.url }}/forgot
${signature}`,
  },
  mfa_disabled: {
    subject: "Two-step verification was turned off for your {{ realm.name }} account",
    html: layout(
      "Logins to your account no longer need a code.",
      "Two-step verification is off",
      `${hello}
${p("Two-step verification was turned off for your {{ realm.name }} account. Logging in now needs only your password, and your recovery codes no longer work.")}
${p(`Turned off from <strong>${device}</strong>, on ${when("now")}.`)}
${p('If you did not do this, someone else may have access to your account: <a class="gh-link" href="{{ realm.url }}/forgot" style="color:{{ theme.color_primary }}">choose a new password</a> right away, then turn two-step verification on again on <a class="gh-link" href="{{ realm.url }}/profile" style="color:{{ theme.color_primary }}">your account page</a>.')}`,
    ),
    text: `Hello {{ user.name }},

Two-step verification was turned off for your {{ realm.name }} account. Logging in now needs only your password, and your recovery codes no longer work.

Turned off from ${device}, on ${when("now")}.

If you did not do this, someone else may have access to your account. Choose a new password right away:

{{ realm.url }}/forgot

Then turn two-step verification on again on your account page: {{ realm.url }}/profile
${signature}`,
  },
  mfa_reset: {
    subject: "An administrator reset two-step verification for your {{ realm.name }} account",
    html: layout(
      "Your authenticator app and recovery codes no longer work for this account.",
      "Two-step verification was reset",
      `${hello}
${p(`An administrator of {{ realm.name }} reset two-step verification for your account on ${when("now")}. Your authenticator app and your recovery codes no longer work for it, and you were logged out everywhere.`)}
${p('Log in with your password, then set up two-step verification again on <a class="gh-link" href="{{ realm.url }}/profile" style="color:{{ theme.color_primary }}">your account page</a>.')}
${p("If you did not ask for this, contact {{ realm.name }} right away.")}`,
    ),
    text: `Hello {{ user.name }},

An administrator of {{ realm.name }} reset two-step verification for your account on ${when("now")}. Your authenticator app and your recovery codes no longer work for it, and you were logged out everywhere.

Log in with your password, then set up two-step verification again on your account page:

{{ realm.url }}/profile

If you did not ask for this, contact {{ realm.name }} right away.
${signature}`,
  },
  welcome: {
    subject: "Welcome to {{ realm.name }}",
    html: layout(
      "Your account is ready.",
      "Welcome to {{ realm.name }}",
      `${hello}
${p('Your {{ realm.name }} account is ready. You log in with {{ user.email }} at <a class="gh-link" href="{{ realm.url }}/login" style="color:{{ theme.color_primary }}">{{ realm.url }}/login</a>.')}`,
    ),
    text: `Hello {{ user.name }},

Your {{ realm.name }} account is ready. You log in with {{ user.email }} at {{ realm.url }}/login.
${signature}`,
  },
};
