"use client";

import type { ReactNode } from "react";
import { useT } from "@/components/i18n/messages-provider";
import { HiddenFields } from "@/components/ui/hidden-fields";
import { TextField } from "@/components/ui/text-field";
import type { ReauthView } from "@/lib/pages/profile";
import { ReauthByLogin } from "./reauth-by-login";

/**
 * "Confirm it's you" before a sensitive change on the profile (lib/account/recent-auth.ts): the
 * current password in a form of the section's own action (`intent=confirm_password`), or, for a
 * user without a usable password, a link to sign in again.
 */
export function ReauthPrompt({
  reauth,
  action,
  hidden,
  email,
  slot,
  hint,
  error,
  submit,
}: {
  reauth: ReauthView;
  action: (formData: FormData) => void;
  hidden: Record<string, string>;
  /** For password managers: whose password this is. */
  email: string;
  /** Names the form (`data-slot`) and prefixes the field id (`{slot}_current_password`). */
  slot: string;
  hint: ReactNode;
  error: string[];
  submit: ReactNode;
}) {
  const { t } = useT();
  if (reauth.method === "login") return <ReauthByLogin loginUrl={reauth.loginUrl} />;
  return (
    <form action={action} data-slot={`${slot}-reauth-form`}>
      <p id={`${slot}-reauth-hint`}>{hint}</p>
      <HiddenFields values={{ ...hidden, intent: "confirm_password" }} />
      {/* For password managers: whose password this is. Not submitted (no name). */}
      <input type="email" autoComplete="username" value={email} readOnly hidden />
      <TextField
        id={`${slot}_current_password`}
        name="current_password"
        label={t("field.current_password")}
        type="password"
        autoComplete="current-password"
        required
        maxLength={1024}
        error={error}
      />
      {submit}
    </form>
  );
}
