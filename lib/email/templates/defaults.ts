import type { RenderedEmail, TemplateName } from "./catalogue";

/**
 * The bundled wording of every email, in Liquid. HTML output is escaped by the engine; links go
 * through `| raw` nowhere: they are built by Gatehouse from the realm's URL and are already safe
 * to print escaped (an `&` becomes `&amp;`, which mail clients read back as `&`).
 */
const layout = (body: string) => `<!doctype html>
<html lang="en">
<body style="margin:0;padding:24px;background:#f5f5f7;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1d1d1f">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">
<table role="presentation" width="100%" style="max-width:520px;background:#ffffff;border-radius:8px;padding:32px" cellpadding="0" cellspacing="0"><tr><td>
<p style="margin:0 0 24px;font-weight:600;font-size:18px">{{ realm.name }}</p>
${body}
</td></tr></table>
<p style="font-size:12px;color:#6e6e73;margin-top:16px">Sent by {{ realm.name }} · {{ realm.url }}</p>
</td></tr></table>
</body>
</html>
`;

const button = (label: string) =>
  `<p style="margin:24px 0"><a href="{{ link }}" style="display:inline-block;background:#0b57d0;color:#ffffff;text-decoration:none;padding:12px 20px;border-radius:6px;font-weight:600">${label}</a></p>
<p style="font-size:13px;color:#6e6e73">Or paste this address into your browser:<br><a href="{{ link }}" style="color:#0b57d0;word-break:break-all">{{ link }}</a></p>`;

export const defaultTemplates: Record<TemplateName, RenderedEmail> = {
  password_reset: {
    subject: "Reset your {{ realm.name }} password",
    html: layout(`<p>Hello {{ user.name }},</p>
<p>Someone asked to reset the password of your {{ realm.name }} account{% if app %} for {{ app.name }}{% endif %}. If it was you, choose a new password here:</p>
${button("Choose a new password")}
<p>The link works for {{ expires_in_minutes }} minutes and only once. If you did not ask for it, ignore this email: your password stays as it is.</p>`),
    text: `Hello {{ user.name }},

Someone asked to reset the password of your {{ realm.name }} account{% if app %} for {{ app.name }}{% endif %}. If it was you, choose a new password here:

{{ link }}

The link works for {{ expires_in_minutes }} minutes and only once. If you did not ask for it, ignore this email: your password stays as it is.
`,
  },
  verify_email: {
    subject: "Confirm your email address for {{ realm.name }}",
    html: layout(`<p>Hello {{ user.name }},</p>
<p>Please confirm that {{ user.email }} is your email address.</p>
${button("Confirm my address")}
<p>The link works for {{ expires_in_minutes | divided_by: 60 }} hours. If you did not create an account at {{ realm.name }}, ignore this email.</p>`),
    text: `Hello {{ user.name }},

Please confirm that {{ user.email }} is your email address:

{{ link }}

The link works for {{ expires_in_minutes | divided_by: 60 }} hours. If you did not create an account at {{ realm.name }}, ignore this email.
`,
  },
  change_email: {
    subject: "Confirm your new email address for {{ realm.name }}",
    html: layout(`<p>Hello {{ user.name }},</p>
<p>You asked to change the email address of your {{ realm.name }} account to {{ new_email }}. Confirm it to make the change:</p>
${button("Confirm the new address")}
<p>Until then your account keeps its current address. The link works for {{ expires_in_minutes | divided_by: 60 }} hours.</p>`),
    text: `Hello {{ user.name }},

You asked to change the email address of your {{ realm.name }} account to {{ new_email }}. Confirm it to make the change:

{{ link }}

Until then your account keeps its current address. The link works for {{ expires_in_minutes | divided_by: 60 }} hours.
`,
  },
  email_changed: {
    subject: "The email address of your {{ realm.name }} account was changed",
    html: layout(`<p>Hello {{ user.name }},</p>
<p>The email address of your {{ realm.name }} account was changed from {{ old_email }} to {{ new_email }}.</p>
<p>If you did not make this change, contact {{ realm.name }} right away: someone else may have access to your account.</p>`),
    text: `Hello {{ user.name }},

The email address of your {{ realm.name }} account was changed from {{ old_email }} to {{ new_email }}.

If you did not make this change, contact {{ realm.name }} right away: someone else may have access to your account.
`,
  },
  new_device: {
    subject: "New login to your {{ realm.name }} account",
    html: layout(`<p>Hello {{ user.name }},</p>
<p>Your {{ realm.name }} account was just used to log in from a browser it had not seen before:</p>
<p>{{ device.browser }} on {{ device.os }}, from {{ device.ip }}, at {{ now }}.</p>
<p>If this was you, there is nothing to do. If not, reset your password at {{ realm.url }}/forgot right away.</p>`),
    text: `Hello {{ user.name }},

Your {{ realm.name }} account was just used to log in from a browser it had not seen before:

{{ device.browser }} on {{ device.os }}, from {{ device.ip }}, at {{ now }}.

If this was you, there is nothing to do. If not, reset your password at {{ realm.url }}/forgot right away.
`,
  },
  account_locked: {
    subject: "Your {{ realm.name }} account was locked after failed logins",
    html: layout(`<p>Hello {{ user.name }},</p>
<p>After many failed login attempts from {{ device.ip }}, logins to your {{ realm.name }} account from there are blocked until {{ locked_until }}.</p>
<p>If these attempts were not yours, someone may be guessing your password: choose a new one at {{ realm.url }}/forgot.</p>`),
    text: `Hello {{ user.name }},

After many failed login attempts from {{ device.ip }}, logins to your {{ realm.name }} account from there are blocked until {{ locked_until }}.

If these attempts were not yours, someone may be guessing your password: choose a new one at {{ realm.url }}/forgot.
`,
  },
  welcome: {
    subject: "Welcome to {{ realm.name }}",
    html: layout(`<p>Hello {{ user.name }},</p>
<p>Your {{ realm.name }} account is ready. You log in with {{ user.email }} at {{ realm.url }}/login.</p>`),
    text: `Hello {{ user.name }},

Your {{ realm.name }} account is ready. You log in with {{ user.email }} at {{ realm.url }}/login.
`,
  },
};
