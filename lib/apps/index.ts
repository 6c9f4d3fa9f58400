export { type App, type Apps, createAppSchema, createApps, updateAppSchema } from "./apps";
export { buildReturnUrl, matchRedirectUri, normalizeRedirectUri, parseRedirectUri } from "./redirect-uri";
