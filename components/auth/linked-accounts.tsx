"use client";

import { useActionState } from "react";
import { useT } from "@/components/i18n/messages-provider";
import { FormAlert } from "@/components/ui/form-alert";
import { FormNotice } from "@/components/ui/form-notice";
import { HiddenFields } from "@/components/ui/hidden-fields";
import { SubmitButton } from "@/components/ui/submit-button";
import type { FormState } from "@/lib/forms/state";
import type { LinkedAccountsView } from "@/lib/pages/profile";
import { ReauthPrompt } from "./reauth-prompt";
import type { FormAction } from "./use-action-form";

const initialState: FormState = { fieldErrors: {} };

/**
 * The profile's "Linked accounts": each upstream account the user signs in with (provider, the
 * address it gave, when it was linked and last used) with a "Remove" button of its own (a plain
 * POST form). Removing needs recent authentication: while the session has none, the section
 * offers the password form, or signing in again for a user without a usable password. The only
 * way in has no button.
 */
export function LinkedAccounts({
  action,
  hidden,
  view,
  email,
}: {
  action: FormAction;
  hidden: Record<string, string>;
  view: LinkedAccountsView;
  email: string;
}) {
  const { t, err } = useT();
  const [state, formAction, pending] = useActionState(action, initialState);
  const errorsFor = (name: string) =>
    (state.fieldErrors[name] ?? []).map((e) => err(e.code, { ...e.params, field: name }));
  return (
    <section aria-labelledby="linked-heading" data-slot="linked-accounts">
      <h2 id="linked-heading" data-slot="section-heading">
        {t("page.profile.linked.heading")}
      </h2>
      <FormAlert>{state.formError ? err(state.formError.code, state.formError.params) : null}</FormAlert>
      <FormNotice>{state.notice ? t(state.notice) : null}</FormNotice>
      {view.accounts.length === 0 ? (
        <p data-slot="linked-none">{t("page.profile.linked.none")}</p>
      ) : (
        <>
          <p>{t("page.profile.linked.intro")}</p>
          {!view.recent && view.accounts.some((a) => a.removable) ? (
            <ReauthPrompt
              reauth={view.reauth}
              action={formAction}
              hidden={hidden}
              email={email}
              slot="linked"
              hint={t("page.profile.linked.reauth")}
              error={errorsFor("current_password")}
              submit={
                <SubmitButton pending={pending} pendingLabel={t("action.submitting")}>
                  {t("action.confirm_password")}
                </SubmitButton>
              }
            />
          ) : null}
          <ul data-slot="linked-list">
            {view.accounts.map((a) => {
              const details = `linked-${a.id}-details`;
              return (
                <li key={a.id} data-slot="linked-account">
                  <h3 data-slot="linked-provider">{a.providerName}</h3>
                  <dl data-slot="linked-details" id={details}>
                    <div>
                      <dt>{t("page.profile.linked.email")}</dt>
                      <dd>{a.email ?? t("page.profile.linked.email_none")}</dd>
                    </div>
                    <div>
                      <dt>{t("page.profile.linked.linked_at")}</dt>
                      <dd>
                        <time dateTime={a.linkedAt}>{a.linkedText}</time>
                      </dd>
                    </div>
                    <div>
                      <dt>{t("page.profile.linked.last_used")}</dt>
                      <dd>
                        {a.lastUsedAt ? (
                          <time dateTime={a.lastUsedAt}>{a.lastUsedText}</time>
                        ) : (
                          t("page.profile.linked.never_used")
                        )}
                      </dd>
                    </div>
                  </dl>
                  {a.removable ? (
                    <form action={formAction} data-slot="unlink-form">
                      <HiddenFields values={{ ...hidden, intent: "unlink", identity: a.id }} />
                      <button
                        type="submit"
                        data-slot="unlink"
                        aria-label={t("page.profile.linked.remove_label", { provider: a.providerName })}
                        aria-describedby={details}
                        disabled={pending}
                      >
                        {t("page.profile.linked.remove")}
                      </button>
                    </form>
                  ) : (
                    <p data-slot="linked-only-way">{t("page.profile.linked.only_way")}</p>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
