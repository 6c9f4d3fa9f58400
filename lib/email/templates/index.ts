export * from "./catalogue";
export { defaultTemplates } from "./defaults";
export { createEmailTemplates, type EmailTemplates, renderParts } from "./templates";
