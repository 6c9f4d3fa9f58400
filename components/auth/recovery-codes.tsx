"use client";

import { useEffect, useRef } from "react";
import { useT } from "@/components/i18n/messages-provider";

/**
 * Fresh recovery codes, shown once: a list to copy or print, and a text file to download (a
 * `data:` link with `download`, so it works without JavaScript). Focus moves here when the codes
 * appear, so a screen reader starts reading at the heading.
 */
export function RecoveryCodes({ codes, realm, email }: { codes: string[]; realm: string; email: string }) {
  const { t } = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (codes.length) heading.current?.focus();
  }, [codes]);
  const file = `${t("page.profile.mfa.codes_file", { realm, email })}\n\n${codes.join("\n")}\n`;
  return (
    <section aria-labelledby="recovery-codes-heading" data-slot="recovery-codes">
      <h3 id="recovery-codes-heading" tabIndex={-1} ref={heading} data-slot="recovery-codes-heading">
        {t("page.profile.mfa.codes_heading")}
      </h3>
      <p>{t("page.profile.mfa.codes_intro")}</p>
      <ol data-slot="recovery-code-list">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <p>
        <a
          href={`data:text/plain;charset=utf-8,${encodeURIComponent(file)}`}
          download="recovery-codes.txt"
          data-slot="recovery-codes-download"
        >
          {t("page.profile.mfa.codes_download")}
        </a>
      </p>
    </section>
  );
}
