export { type ApiContext, apiRoute, errorResponse, requireInstallationKey } from "./handler";
export { readJsonBody } from "./json-body";
export { apiKeyOut, appOut, invitationOut, realmOut, serializePage, userOut } from "./serializers";
