import type { ReactNode } from "react";
import type { Translate } from "@/lib/i18n";

/** The frame of the development mailbox's pages: the "development only" banner, then the content. */
export function MailboxShell({
  t,
  heading,
  children,
}: {
  t: Translate;
  heading: string;
  children: ReactNode;
}) {
  return (
    <main id="main" className="dev-mailbox">
      <p className="dev-mailbox-banner" role="note">
        <strong>{t("page.dev_mailbox.banner")}</strong>
      </p>
      <h1>{heading}</h1>
      {children}
    </main>
  );
}

/** A status as a word, with a hook for its colour. */
export function MailStatus({ t, status }: { t: Translate; status: "pending" | "sent" | "failed" }) {
  return (
    <span className="dev-mailbox-status" data-status={status}>
      {t(`page.dev_mailbox.status_${status}`)}
    </span>
  );
}
