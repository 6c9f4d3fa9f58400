"use client";

import { useMemo } from "react";
import { useT } from "@/components/i18n/messages-provider";
import { TextField } from "@/components/ui/text-field";
import {
  completeProfileFormSchema,
  type ProfileField,
  type CompleteProfileForm as Values,
} from "@/lib/flows/forms";
import type { MessageKey } from "@/lib/i18n";
import { ActionForm } from "./action-form";
import { type FormAction, useActionForm } from "./use-action-form";

/** How each profile field is asked for: its label and what the browser may fill in. */
const FIELD_INPUTS: Record<ProfileField, { label: MessageKey; autoComplete: string }> = {
  first_name: { label: "field.first_name", autoComplete: "given-name" },
  last_name: { label: "field.last_name", autoComplete: "family-name" },
};

/**
 * The login's "complete your profile" step: the fields the realm requires that the account lacks,
 * validated inline with the server's own schema (the signup form's rules), a plain POST without
 * JavaScript.
 */
export function CompleteProfileForm({
  action,
  hidden,
  fields,
  values,
}: {
  action: FormAction;
  hidden: Record<string, string>;
  fields: ProfileField[];
  values: Values;
}) {
  const { t, err } = useT();
  const schema = useMemo(() => completeProfileFormSchema(fields), [fields]);
  const defaults = useMemo(
    () => Object.fromEntries(fields.map((f) => [f, values[f] ?? ""])),
    [fields, values],
  );
  const handle = useActionForm<Values>(schema, action, defaults);
  const { form, state, fieldErrorList } = handle;
  return (
    <ActionForm
      slot="complete-profile-form"
      handle={handle}
      hidden={hidden}
      submitLabel={t("action.save_continue")}
    >
      {fields.map((name) => (
        <TextField
          key={name}
          id={name}
          label={t(FIELD_INPUTS[name].label)}
          type="text"
          autoComplete={FIELD_INPUTS[name].autoComplete}
          required
          defaultValue={state.values?.[name] ?? values[name]}
          error={fieldErrorList(name).map((e) => err(e.code, { ...e.params, field: name }))}
          {...form.register(name)}
          name={name}
        />
      ))}
    </ActionForm>
  );
}
