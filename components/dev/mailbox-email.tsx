import type { Translate } from "@/lib/i18n";
import type { DevMailboxEmailPage } from "@/lib/pages/dev-mailbox";
import { MailStatus } from "./mailbox-shell";

type Email = Extract<DevMailboxEmailPage, { kind: "email" }>;

/**
 * One email: its envelope, the text body with live links, the HTML in a sandboxed frame, and its
 * delivery attempts. The frame's `srcdoc` is an attribute (escaped by React) and its empty
 * `sandbox` forbids scripts, forms, popups and navigation of this page; the page's CSP (inherited
 * by the frame) forbids scripts too.
 */
export function MailboxEmail({ t, page }: { t: Translate; page: Email }) {
  const { row } = page;
  const none = t("page.dev_mailbox.none");
  return (
    <>
      <p>
        <a href="/dev/mailbox">{t("page.dev_mailbox.back")}</a>
      </p>
      <dl className="dev-mailbox-envelope">
        <dt>{t("page.dev_mailbox.from")}</dt>
        <dd>{page.from}</dd>
        <dt>{t("page.dev_mailbox.to")}</dt>
        <dd>{row.to}</dd>
        <dt>{t("page.dev_mailbox.realm")}</dt>
        <dd>{row.realm}</dd>
        <dt>{t("page.dev_mailbox.template")}</dt>
        <dd>{page.template}</dd>
        <dt>{t("page.dev_mailbox.time")}</dt>
        <dd>
          <time dateTime={row.createdAt}>{row.createdText}</time>
        </dd>
        <dt>{t("page.dev_mailbox.status")}</dt>
        <dd>
          <MailStatus t={t} status={row.status} />
        </dd>
        <dt>{t("page.dev_mailbox.sent_at")}</dt>
        <dd>{page.sentText ?? none}</dd>
        <dt>{t("page.dev_mailbox.attempts")}</dt>
        <dd>{row.attempts}</dd>
        <dt>{t("page.dev_mailbox.last_error")}</dt>
        <dd>{row.lastError ?? none}</dd>
      </dl>

      <h2>{t("page.dev_mailbox.text")}</h2>
      <pre className="dev-mailbox-text">
        {page.text.map((part, i) =>
          "link" in part ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: the parts are a fixed cut of one text.
            <a key={i} href={part.link} rel="noreferrer">
              {part.link}
            </a>
          ) : (
            part.text
          ),
        )}
      </pre>

      <h2>{t("page.dev_mailbox.html")}</h2>
      <iframe
        className="dev-mailbox-html"
        title={t("page.dev_mailbox.html_frame")}
        sandbox=""
        srcDoc={page.html}
      />

      <h2>{t("page.dev_mailbox.attempt_list")}</h2>
      {page.attempts.length === 0 ? (
        <p>{t("page.dev_mailbox.no_attempts")}</p>
      ) : (
        <div className="dev-mailbox-scroll">
          <table>
            <caption>{t("page.dev_mailbox.attempt_list")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("page.dev_mailbox.time")}</th>
                <th scope="col">{t("page.dev_mailbox.attempt_worker")}</th>
                <th scope="col">{t("page.dev_mailbox.attempt_result")}</th>
                <th scope="col">{t("page.dev_mailbox.attempt_error")}</th>
              </tr>
            </thead>
            <tbody>
              {page.attempts.map((a) => (
                <tr key={a.at + a.worker + a.ok}>
                  <td>
                    <time dateTime={a.at}>{a.atText}</time>
                  </td>
                  <td>{a.worker}</td>
                  <td>
                    <MailStatus t={t} status={a.ok} />
                  </td>
                  <td>{a.error ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
