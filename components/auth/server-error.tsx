"use client";

import { useT } from "@/components/i18n/messages-provider";
import { AuthShell } from "./auth-shell";

/** What a visitor sees when the server failed: no stack trace, a way to retry, a reference for support. */
export function ServerError({ digest, reset }: { digest?: string; reset: () => void }) {
  const { t } = useT();
  return (
    <AuthShell realmName={t("page.home.product")} heading={t("page.error.title")}>
      <div data-slot="error" role="alert">
        <p>{t("page.error.server")}</p>
      </div>
      {digest ? <p data-slot="error-hint">{t("page.error.reference", { digest })}</p> : null}
      <button data-slot="submit" type="button" onClick={reset}>
        {t("page.error.retry")}
      </button>
    </AuthShell>
  );
}
