import type { StrengthEstimator } from "./policy";

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
