"use client";

import { useT } from "@/components/i18n/messages-provider";

/**
 * Recent authentication for a user without a usable password (lib/account/recent-auth.ts): there
 * is no password to confirm, so they sign in again (`/login?prompt=login`, back to the profile),
 * and the new session counts as recent.
 */
export function ReauthByLogin({ loginUrl }: { loginUrl: string }) {
  const { t } = useT();
  return (
    <div data-slot="reauth-login">
      <p>{t("page.profile.reauth_login")}</p>
      <p>
        <a href={loginUrl} data-slot="reauth-login-link">
          {t("page.profile.reauth_login_link")}
        </a>
      </p>
    </div>
  );
}
