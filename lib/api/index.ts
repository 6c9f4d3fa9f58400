export { apiActor } from "./actor";
export { type ApiContext, apiRoute, errorResponse, requireInstallationKey } from "./handler";
export { readJsonBody } from "./json-body";
export {
  apiKeyOut,
  appOut,
  invitationOut,
  passwordStatusOut,
  realmOut,
  serializePage,
  sessionOut,
  userOut,
} from "./serializers";
