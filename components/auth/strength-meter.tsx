"use client";

import { useEffect, useState } from "react";
import { useT } from "@/components/i18n/messages-provider";
import {
  type PasswordIdentity,
  type PasswordPolicy,
  type StrengthEstimator,
  strengthInputs,
} from "@/lib/passwords/policy";
import { loadStrengthEstimator } from "@/lib/passwords/strength-loader";

const LEVELS = [
  "password.strength.0",
  "password.strength.1",
  "password.strength.2",
  "password.strength.3",
  "password.strength.4",
] as const;

/**
 * A live zxcvbn score for the password being typed: a bar and, for everyone, the words
 * ("Strength: weak"), announced politely when they change. zxcvbn arrives by dynamic import on
 * the first keystroke, so its dictionaries never delay the page. Advice only: the server decides.
 */
export function StrengthMeter({
  id,
  password,
  policy,
  identity,
}: {
  id: string;
  password: string;
  policy: PasswordPolicy;
  identity: PasswordIdentity;
}) {
  const { t } = useT();
  const [estimator, setEstimator] = useState<StrengthEstimator | null>(null);

  useEffect(() => {
    if (!password || estimator) return;
    let live = true;
    loadStrengthEstimator().then(
      (loaded) => {
        if (live) setEstimator(() => loaded);
      },
      // Without the chunk (offline) there is no meter; the rules list and the server still speak.
      () => {},
    );
    return () => {
      live = false;
    };
  }, [password, estimator]);

  const score =
    estimator && password
      ? Math.max(0, Math.min(4, estimator.score(password, strengthInputs(identity, policy.siteWords))))
      : null;
  const level = score === null ? "" : t(LEVELS[score] ?? LEVELS[0]);
  const text =
    score === null
      ? ""
      : t(score < policy.strengthMin ? "password.strength.too_low" : "password.strength", { level });
  const labelId = `${id}-label`;
  return (
    <div
      data-slot="strength"
      data-score={score ?? undefined}
      data-enough={score === null ? undefined : String(score >= policy.strengthMin)}
    >
      <meter
        data-slot="strength-bar"
        aria-labelledby={labelId}
        aria-valuetext={level || undefined}
        min={0}
        max={4}
        value={score ?? 0}
        hidden={score === null}
      />
      {/* Always in the page, so assistive technology is listening before the first change. */}
      <p data-slot="strength-label" id={labelId} aria-live="polite">
        {text}
      </p>
    </div>
  );
}
