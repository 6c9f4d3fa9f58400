"use client";

import { useT } from "@/components/i18n/messages-provider";

/**
 * Adding an account to an authenticator app: the QR code (an SVG data URL rendered on the server,
 * with alt text naming the account), the same key in groups of four to type by hand, and the
 * `otpauth://` link that opens an app on this device. Display only: the page puts its own confirm
 * form after it. Shared by the profile's setup and the login's enrolment step.
 */
export function TotpSetup({
  qr,
  groupedKey,
  uri,
  issuer,
  account,
}: {
  /** `data:image/svg+xml;base64,…` (lib/mfa/qr.ts). */
  qr: string;
  /** The base32 key in groups of four (lib/mfa groupedKey). */
  groupedKey: string;
  /** The `otpauth://totp/…` URI inside the QR code. */
  uri: string;
  /** What the app will show: the realm's name and the user's email. */
  issuer: string;
  account: string;
}) {
  const { t } = useT();
  return (
    <div data-slot="totp-setup">
      <p data-slot="totp-scan">{t("page.profile.mfa.setup_scan")}</p>
      {/* biome-ignore lint/performance/noImgElement: a server-made data URL; next/image adds nothing here. */}
      <img
        data-slot="totp-qr"
        src={qr}
        alt={t("page.profile.mfa.qr_alt", { account, issuer })}
        width={200}
        height={200}
      />
      <p data-slot="totp-manual">{t("page.profile.mfa.setup_manual")}</p>
      <dl data-slot="totp-details">
        <div>
          <dt>{t("page.profile.mfa.setup_key")}</dt>
          <dd>
            <code data-slot="totp-key" data-testid="totp-key">
              {groupedKey}
            </code>
          </dd>
        </div>
        <div>
          <dt>{t("page.profile.mfa.setup_account")}</dt>
          <dd>{account}</dd>
        </div>
      </dl>
      <p>
        <a href={uri} data-slot="totp-open">
          {t("page.profile.mfa.setup_open")}
        </a>
      </p>
    </div>
  );
}
