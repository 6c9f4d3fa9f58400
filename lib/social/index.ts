export { createIdentities, type Identities, type Identity, type IdentityView } from "./identities";
export { createSocialProviders, type ProviderFields, type SocialProviders } from "./providers";
export * from "./types";
