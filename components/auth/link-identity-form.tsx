"use client";

import { useT } from "@/components/i18n/messages-provider";
import { TextField } from "@/components/ui/text-field";
import { type LinkIdentityForm as LinkValues, linkIdentityFormSchema } from "@/lib/flows/forms";
import { ActionForm } from "./action-form";
import { type FormAction, useActionForm } from "./use-action-form";

/** `/login/link`: the existing account's password, to link a new social identity to it. */
export function LinkIdentityForm({ action, hidden }: { action: FormAction; hidden: Record<string, string> }) {
  const { t, err } = useT();
  const handle = useActionForm<LinkValues>(linkIdentityFormSchema, action, { password: "" });
  const { form, fieldErrorCode } = handle;
  const password = fieldErrorCode("password");
  return (
    <ActionForm
      slot="link-identity-form"
      handle={handle}
      hidden={hidden}
      submitLabel={t("action.link_identity")}
    >
      <TextField
        id="password"
        label={t("field.password")}
        type="password"
        autoComplete="current-password"
        required
        error={password && err(password.code, { ...password.params, field: "password" })}
        {...form.register("password")}
        name="password"
      />
    </ActionForm>
  );
}
