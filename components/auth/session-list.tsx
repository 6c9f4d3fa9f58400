"use client";

import { useActionState } from "react";
import { useT } from "@/components/i18n/messages-provider";
import { FormAlert } from "@/components/ui/form-alert";
import { HiddenFields } from "@/components/ui/hidden-fields";
import type { FormState } from "@/lib/forms/state";
import type { SessionRow } from "@/lib/pages/profile";
import type { FormAction } from "./use-action-form";

const initialState: FormState = { fieldErrors: {} };

/**
 * "Where you are signed in": one entry per live session, each with its own plain form and button
 * (works without JavaScript), and "End all other sessions". Buttons are named for the device
 * ("End session on Firefox on Linux") and described by the session's details, so that two
 * sessions on the same kind of device can still be told apart.
 */
export function SessionList({
  action,
  sessions,
  hidden,
}: {
  action: FormAction;
  sessions: SessionRow[];
  hidden: Record<string, string>;
}) {
  const { t, err } = useT();
  const [state, formAction, pending] = useActionState(action, initialState);
  const others = sessions.filter((s) => !s.current).length;
  return (
    <section aria-labelledby="sessions-heading" data-slot="sessions">
      <h2 id="sessions-heading" data-slot="section-heading">
        {t("page.profile.sessions.heading")}
      </h2>
      <FormAlert>{state.formError ? err(state.formError.code, state.formError.params) : null}</FormAlert>
      <ul data-slot="session-list">
        {sessions.map((s) => {
          const details = `session-${s.id}-details`;
          return (
            <li key={s.id} data-slot="session" data-current={s.current ? "true" : undefined}>
              <h3 data-slot="session-device">
                {s.device}
                {s.current ? (
                  <>
                    {" "}
                    <span data-slot="session-current">{t("page.profile.sessions.this_device")}</span>
                  </>
                ) : null}
              </h3>
              <dl data-slot="session-details" id={details}>
                <div>
                  <dt>{t("page.profile.sessions.ip")}</dt>
                  <dd>{s.ip ?? t("page.profile.sessions.ip_unknown")}</dd>
                </div>
                <div>
                  <dt>{t("page.profile.sessions.created")}</dt>
                  <dd>
                    <time dateTime={s.createdAt}>{s.createdText}</time>
                  </dd>
                </div>
                <div>
                  <dt>{t("page.profile.sessions.last_used")}</dt>
                  <dd>
                    <time dateTime={s.lastUsedAt}>{s.lastUsedText}</time>
                  </dd>
                </div>
              </dl>
              <form action={formAction} data-slot="end-session-form">
                <HiddenFields values={{ ...hidden, end: s.id }} />
                <button
                  type="submit"
                  data-slot="end-session"
                  aria-label={
                    s.current
                      ? t("page.profile.sessions.end_current_label", { device: s.device })
                      : t("page.profile.sessions.end_label", { device: s.device })
                  }
                  aria-describedby={details}
                  disabled={pending}
                >
                  {s.current ? t("page.profile.sessions.end_current") : t("page.profile.sessions.end")}
                </button>
              </form>
            </li>
          );
        })}
      </ul>
      {others > 0 ? (
        <form action={formAction} data-slot="end-others-form">
          <HiddenFields values={{ ...hidden, end: "others" }} />
          <button type="submit" data-slot="end-others" disabled={pending}>
            {t("page.profile.sessions.end_others")}
          </button>
        </form>
      ) : null}
    </section>
  );
}
