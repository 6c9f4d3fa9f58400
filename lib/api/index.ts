export { apiActor } from "./actor";
export { type ApiContext, apiRoute, errorResponse, requireInstallationKey } from "./handler";
export { readJsonBody } from "./json-body";
export { userLockOut } from "./lock-serializer";
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
