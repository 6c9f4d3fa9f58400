export { apiActor, apiKeyRef } from "./actor";
export {
  EMAIL_TEMPLATE_BODY_BYTES,
  emailPreviewOut,
  emailTemplateOut,
  emailTemplateSummaryOut,
} from "./email-templates";
export { type ApiContext, apiRoute, errorBody, errorResponse, requireInstallationKey } from "./handler";
export { importResponse } from "./import-response";
export { readJsonBody } from "./json-body";
export { userLockOut } from "./lock-serializer";
export { userMfaOut } from "./mfa-serializer";
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
export { identityOut, providerOut, serializeIdentities, serializeProvider } from "./social-serializers";
export { userDetail } from "./user-detail";
