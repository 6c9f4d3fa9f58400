export { AppError, type FieldError, isAppError } from "./app-error";
export { type ErrorCode, errorStatus, type FieldErrorCode } from "./codes";
export { nulCharacterError } from "./nul-character";
export { fieldErrorsFromIssue, mergeFieldErrors, parseOrThrow } from "./zod";
