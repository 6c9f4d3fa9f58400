"use client";

import { useCallback } from "react";
import type { PasswordIdentity, PasswordPolicy } from "@/lib/passwords/policy";
import { checkPasswordInBrowser } from "@/lib/passwords/strength-loader";

/**
 * The realm's whole password policy as an extra inline check for `useActionForm`, so every failing
 * rule shows at once without a round trip. The server checks again; it decides.
 */
export function usePasswordCheck<T extends { password?: string }>(
  policy: PasswordPolicy,
  identityOf: (values: T) => PasswordIdentity,
) {
  return useCallback(
    async (values: T) =>
      values.password
        ? checkPasswordInBrowser({ policy, password: values.password, identity: identityOf(values) })
        : [],
    [policy, identityOf],
  );
}
