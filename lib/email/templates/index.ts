export * from "./catalogue";
export { defaultTemplates } from "./defaults";
export {
  createEmailTemplates,
  type EmailTemplates,
  type EmailTemplateView,
  renderParts,
  templateNameOf,
} from "./templates";
export { TEMPLATE_LIMITS } from "./validate";
export { type TemplateVariable, templateVariables } from "./variables";
