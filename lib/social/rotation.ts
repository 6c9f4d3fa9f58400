import type { SealedValues } from "@/lib/mfa/rotation";
import type { SocialProviders } from "./providers";

/** Social providers' client secrets, for `npm run keys:reencrypt` and the start-up check. */
export const providerSecrets = (providers: SocialProviders): SealedValues => ({
  what: "social provider client secret(s)",
  keyUsage: providers.keyUsage,
  reencryptStale: providers.reencryptStale,
});
