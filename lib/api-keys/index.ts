export {
  type ApiKey,
  type ApiKeys,
  type ApiPrincipal,
  canAccessRealm,
  createApiKeySchema,
  createApiKeys,
} from "./api-keys";
