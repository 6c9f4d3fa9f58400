import type { Translate } from "@/lib/i18n";
import type { MailboxRow } from "@/lib/pages/dev-mailbox";
import { MailStatus } from "./mailbox-shell";

/** The mailbox's table: one row per email, its subject linking to the email. */
export function MailboxList({ t, rows }: { t: Translate; rows: MailboxRow[] }) {
  if (rows.length === 0) return <p>{t("page.dev_mailbox.empty")}</p>;
  return (
    <div className="dev-mailbox-scroll">
      <table>
        <caption>{t("page.dev_mailbox.caption", { count: String(rows.length) })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("page.dev_mailbox.time")}</th>
            <th scope="col">{t("page.dev_mailbox.realm")}</th>
            <th scope="col">{t("page.dev_mailbox.to")}</th>
            <th scope="col">{t("page.dev_mailbox.subject")}</th>
            <th scope="col">{t("page.dev_mailbox.status")}</th>
            <th scope="col">{t("page.dev_mailbox.attempts")}</th>
            <th scope="col">{t("page.dev_mailbox.last_error")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.href}>
              <td>
                <time dateTime={row.createdAt}>{row.createdText}</time>
              </td>
              <td>{row.realm}</td>
              <td>{row.to}</td>
              <td>
                <a href={row.href}>{row.subject}</a>
              </td>
              <td>
                <MailStatus t={t} status={row.status} />
              </td>
              <td>{row.attempts}</td>
              <td>{row.lastError ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
