export { AppError, type FieldError, isAppError } from "./app-error";
export { type ErrorCode, errorStatus, type FieldErrorCode } from "./codes";
export { fieldErrorFromIssue, fieldErrorsFromIssue, parseOrThrow, validationError } from "./zod";
