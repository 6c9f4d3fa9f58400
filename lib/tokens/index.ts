export {
  type ActiveKey,
  createSigningKeys,
  generateKeyMaterial,
  type SigningAlg,
  type SigningKeys,
} from "./keys";
export { createLoginTokens, type LoginTokenSubject, type LoginTokens } from "./login-token";
