"use client";

import type {} from "altcha/types/react";
import { useEffect, useRef } from "react";
import { useT } from "@/components/i18n/messages-provider";
import { ALTCHA_FIELD } from "@/lib/bot-defence/field";
import type { MessageKey } from "@/lib/i18n/messages/en";

type Widget = HTMLElementTagNameMap["altcha-widget"];

/** The widget's strings (its `Strings` keys) from our catalogue. */
const widgetStrings = {
  label: "challenge.label",
  loading: "challenge.loading",
  verify: "challenge.verify",
  verifying: "challenge.verifying",
  waitAlert: "challenge.wait",
  verified: "challenge.verified",
  verificationRequired: "challenge.required",
  error: "challenge.error",
  expired: "challenge.expired",
  reload: "challenge.reload",
} as const satisfies Record<string, MessageKey>;

/** Options that stay the same for every realm: no third-party links, no interaction tracking. */
const widgetConfiguration = JSON.stringify({
  credentials: "omit",
  hideFooter: true,
  hideLogo: true,
  humanInteractionSignature: false,
});

const ERROR_ID = "altcha-error";

/**
 * The anti-robot check (ALTCHA proof of work) of a form: the browser solves a challenge from
 * `challengeUrl` while the person fills in the form, and the widget puts the solution into the
 * hidden field `altcha`. Without JavaScript it cannot be solved, which the page says plainly.
 * `attempt` is the form's latest result: after a refused submission the solution may be spent,
 * so the widget starts over.
 */
export function AltchaField({
  challengeUrl,
  error,
  attempt,
  noscript = "challenge.noscript",
}: {
  challengeUrl: string;
  error?: string;
  attempt: unknown;
  /** What the form cannot do without JavaScript (signing up, asking for a reset link). */
  noscript?: MessageKey;
}) {
  const { t } = useT();
  const ref = useRef<Widget>(null);

  useEffect(() => {
    let live = true;
    const widget = ref.current;
    // Someone quick (or a slow network) is already typing when the widget arrives: its own
    // "start on focus" has missed that focus, so start now.
    const startIfTyping = () => {
      if (widget?.closest("form")?.contains(document.activeElement) && widget.getState() === "unverified")
        void widget.verify();
    };
    widget?.addEventListener("load", startIfTyping, { once: true });
    const strings = Object.fromEntries(Object.entries(widgetStrings).map(([name, key]) => [name, t(key)]));
    void import("./altcha-widget").then(({ setUpAltcha }) => {
      if (live) setUpAltcha(document.documentElement.lang || "en", strings);
    });
    return () => {
      live = false;
      widget?.removeEventListener("load", startIfTyping);
    };
  }, [t]);

  // A submission waits for the solution instead of going out without one.
  useEffect(() => {
    const form = ref.current?.closest("form");
    if (!form) return;
    let waiting = false;
    const onSubmit = (event: SubmitEvent) => {
      const widget = ref.current;
      // Not loaded (yet): the server refuses the form with a message, as without JavaScript.
      if (!widget || typeof widget.getState !== "function") return;
      const state = widget.getState();
      if (state === "verified") return;
      event.preventDefault();
      event.stopImmediatePropagation();
      if (waiting) return;
      waiting = true;
      const submitter = event.submitter;
      const onChange = (change: Event) => {
        const next = (change as CustomEvent<{ state: string }>).detail.state;
        if (next === "verifying" || next === "unverified") return;
        widget.removeEventListener("statechange", onChange);
        waiting = false;
        if (next === "verified") form.requestSubmit(submitter ?? undefined);
      };
      widget.addEventListener("statechange", onChange);
      if (state !== "verifying") void widget.verify();
    };
    form.addEventListener("submit", onSubmit, { capture: true });
    return () => form.removeEventListener("submit", onSubmit, { capture: true });
  }, []);

  const lastAttempt = useRef(attempt);
  useEffect(() => {
    if (lastAttempt.current === attempt) return;
    lastAttempt.current = attempt;
    ref.current?.reset?.();
  }, [attempt]);

  return (
    <fieldset
      data-slot="challenge"
      data-invalid={error ? "true" : undefined}
      aria-describedby={error ? ERROR_ID : undefined}
    >
      <legend data-slot="label">{t("challenge.group")}</legend>
      <altcha-widget
        ref={ref}
        challenge={challengeUrl}
        name={ALTCHA_FIELD}
        auto="onfocus"
        configuration={widgetConfiguration}
      />
      <noscript>
        <p data-slot="hint">{t(noscript)}</p>
      </noscript>
      {error ? (
        <p data-slot="field-error" id={ERROR_ID} role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
