export { type ApiKeys, type ApiPrincipal, canAccessRealm, createApiKeys } from "./api-keys";
