import type { PresetKind, ProviderProtocol, RawProfile, UpstreamProfile } from "../types";

/** A built-in provider: what Gatehouse knows about it, so that a realm brings only its client. */
export interface Preset {
  kind: PresetKind;
  /** The button's default label ("Continue with Google"). */
  displayName: string;
  /** Endpoints or issuer, default scopes, client authentication. */
  protocol: ProviderProtocol;
  /** Reads the upstream's answers; throws `AppError("social.profile_invalid")` without a subject. */
  mapProfile(raw: RawProfile): UpstreamProfile;
}
