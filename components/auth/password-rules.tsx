"use client";

import { useT } from "@/components/i18n/messages-provider";
import type { PasswordPolicy } from "@/lib/passwords/policy";

const CLASS_RULES = [
  ["lower", "password.rule.lower"],
  ["upper", "password.rule.upper"],
  ["digit", "password.rule.digit"],
  ["symbol", "password.rule.symbol"],
] as const;

/**
 * The realm's rules for a new password, as a short list under the label. Rendered on the server
 * with the page, so it is there without JavaScript; the server enforces the same rules.
 */
export function PasswordRules({ policy }: { policy: PasswordPolicy }) {
  const { t } = useT();
  const rules = [t("field.password.hint", { min: policy.minLength })];
  for (const [cls, key] of CLASS_RULES) if (policy.requiredClasses.includes(cls)) rules.push(t(key));
  if (policy.blocklist) rules.push(t("password.rule.common"));
  rules.push(t("password.rule.identifier"));
  if (policy.strengthMin > 0) rules.push(t("password.rule.strength"));
  return (
    <ul data-slot="password-rules">
      {rules.map((rule) => (
        <li key={rule}>{rule}</li>
      ))}
    </ul>
  );
}
