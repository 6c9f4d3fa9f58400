import type { FieldError } from "@/lib/errors/app-error";
import { checkPasswordPolicy, needsStrengthEstimator, type StrengthEstimator } from "./policy";

let loading: Promise<StrengthEstimator> | undefined;

/**
 * The browser's way to zxcvbn: a dynamic import, so its dictionaries (≈ 1.5 MB) become a chunk of
 * their own, fetched when a password field is first used instead of with every page. A failed
 * fetch is retried on the next call.
 */
export function loadStrengthEstimator(): Promise<StrengthEstimator> {
  loading ??= import("./strength")
    .then((m) => m.strengthEstimator())
    .catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
  return loading;
}

/**
 * The policy check in the browser: waits for zxcvbn when the policy needs it, and without it (the
 * chunk failed to load) still checks the rules that need no dictionary. The server decides anyway.
 */
export async function checkPasswordInBrowser(
  args: Omit<Parameters<typeof checkPasswordPolicy>[0], "estimator">,
): Promise<FieldError[]> {
  const estimator = needsStrengthEstimator(args.policy)
    ? await loadStrengthEstimator().catch(() => null)
    : null;
  return checkPasswordPolicy({ ...args, estimator });
}
