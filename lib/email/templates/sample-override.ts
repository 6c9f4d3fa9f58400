import type { FieldError } from "@/lib/errors";
import type { TemplateVars } from "./catalogue";

/** Longest sample value a preview takes: enough for any name, address or link. */
export const MAX_SAMPLE_VALUE = 2_000;

/** Objects of the sample that may be null when an email is sent (and so in a preview). */
const NULLABLE_OBJECTS = new Set(["app"]);

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * A preview's sample: the template's own sample with the caller's values over it. Only what the
 * sample has can be changed, a value for a value (text, number or null) and an object for an
 * object (`app` may be null, to see the email without an app). Problems go to `errors`, each at
 * its path under `sample`.
 */
export function overrideSample(base: TemplateVars, override: unknown, errors: FieldError[]): TemplateVars {
  if (override === undefined) return base;
  return merge(base, override, "sample", errors) as TemplateVars;
}

function merge(base: unknown, value: unknown, path: string, errors: FieldError[]): unknown {
  if (isObject(base)) {
    if (value === null && NULLABLE_OBJECTS.has(path.slice("sample.".length))) return null;
    if (!isObject(value)) {
      errors.push({ field: path, code: "field.invalid_type", params: { expected: "object" } });
      return base;
    }
    const out: Record<string, unknown> = { ...base };
    for (const [key, sub] of Object.entries(value)) {
      if (!Object.hasOwn(base, key)) errors.push({ field: `${path}.${key}`, code: "field.unknown" });
      else out[key] = merge(base[key], sub, `${path}.${key}`, errors);
    }
    return out;
  }
  if (value === null || typeof value === "number") return value;
  if (typeof value !== "string") {
    errors.push({ field: path, code: "field.invalid_type", params: { expected: "string" } });
    return base;
  }
  if (value.length > MAX_SAMPLE_VALUE) {
    errors.push({ field: path, code: "field.too_long", params: { max: MAX_SAMPLE_VALUE } });
    return base;
  }
  return value;
}
