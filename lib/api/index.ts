export { type ApiContext, apiRoute, errorResponse, requireInstallationKey } from "./handler";
export { readJsonBody } from "./json-body";
export { userLockOut } from "./lock-serializer";
export { apiKeyOut, appOut, realmOut, serializePage, userOut } from "./serializers";
