import { type ErrorCode, errorStatus, type FieldErrorCode } from "./codes";

export interface FieldError {
  field: string;
  code: FieldErrorCode | string;
  params?: Record<string, string | number>;
}

/**
 * The one error type of the product. Expected failures inside services throw it; the edges (form
 * actions, API routes) turn it into a form state or a JSON body. Anything else is a bug and
 * becomes a bare 500.
 */
const BRAND = Symbol.for("gatehouse.AppError");

export class AppError extends Error {
  // The bundler may load this module more than once (server actions and pages live in separate
  // chunks), so `instanceof` is unreliable across them; the registered symbol is not.
  readonly [BRAND] = true;
  readonly code: ErrorCode;
  readonly status: number;
  readonly fields: FieldError[];
  readonly params: Record<string, string | number> | undefined;

  constructor(
    code: ErrorCode,
    options: { fields?: FieldError[]; params?: Record<string, string | number>; message?: string } = {},
  ) {
    super(options.message ?? code);
    this.name = "AppError";
    this.code = code;
    this.status = errorStatus[code];
    this.fields = options.fields ?? [];
    this.params = options.params;
  }

  static field(code: FieldErrorCode, field: string, params?: Record<string, string | number>): AppError {
    const top: ErrorCode =
      code === "user.email_taken" || code === "user.username_taken" || code === "realm.slug_taken"
        ? code
        : "validation.failed";
    return new AppError(top, { fields: [{ field, code, params }] });
  }
}

export function isAppError(error: unknown): error is AppError {
  return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}
