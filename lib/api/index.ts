export { type ApiContext, apiRoute, errorBody, errorResponse, requireInstallationKey } from "./handler";
export { importResponse } from "./import-response";
export { readJsonBody } from "./json-body";
export { apiKeyOut, appOut, realmOut, serializePage, userOut } from "./serializers";
