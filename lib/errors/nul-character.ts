import { AppError } from "./app-error";

/**
 * PostgreSQL cannot store a NUL character in text: a value carrying one makes the insert fail, which
 * surfaced as a 500 (found by the API fuzz, test/api-fuzz.db.test.ts). No field accepts one, so input
 * is checked where it enters, before any validation or write: the error names the first field (a
 * dotted path, as zod's are) holding a NUL, in a value or in a key.
 */
export function nulCharacterError(value: unknown): AppError | null {
  const path = nulPath(value, []);
  return path ? AppError.field("field.invalid", path.join(".") || "body") : null;
}

function nulPath(value: unknown, path: string[]): string[] | null {
  if (typeof value === "string") return value.includes("\u0000") ? path : null;
  if (!value || typeof value !== "object") return null;
  for (const [key, child] of Object.entries(value)) {
    const here = [...path, key.replaceAll("\u0000", "\\0")];
    if (key.includes("\u0000")) return here;
    const found = nulPath(child, here);
    if (found) return found;
  }
  return null;
}
