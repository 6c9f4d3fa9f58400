import type { Messages } from "@/lib/i18n";
import { errorText, translator } from "@/lib/i18n";
import { AuthShell } from "./auth-shell";

/**
 * What a password page (`/forgot`, `/reset`, `/login/password`) shows in a social-only realm
 * (`password_login: false`): why there is no form, and the way to the sign-in buttons.
 */
export function PasswordLoginOff({
  realm,
  query = "",
  messages,
}: {
  realm: { name: string; slug: string };
  /** The entry parameters to carry back to the login page, if any. */
  query?: string;
  messages: Messages;
}) {
  const t = translator(messages);
  return (
    <AuthShell realmName={realm.name} heading={t("page.password_off.heading")}>
      <p data-slot="password-login-off" role="alert">
        {errorText(messages, "auth.password_login_disabled")}
      </p>
      <p data-slot="login-link">
        <a href={`/${realm.slug}/login${query ? `?${query}` : ""}`}>{t("page.password_off.back")}</a>
      </p>
    </AuthShell>
  );
}
