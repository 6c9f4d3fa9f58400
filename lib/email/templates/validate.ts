import { type Liquid, LiquidError, type Template, type Variable } from "liquidjs";
import { z } from "zod";
import type { FieldError } from "@/lib/errors";
import type { RenderedEmail, TemplateVars } from "./catalogue";
import { htmlLiquid, MAX_OUTPUT_CHARS, RENDER_LIMIT_MS, renderBounded, textLiquid } from "./engine";
import { sparseVars } from "./variables";

/** What a realm's template may weigh (the HTML limit is the issue's: 100 KB of UTF-8). */
export const TEMPLATE_LIMITS = {
  subjectChars: 250,
  htmlBytes: 100 * 1024,
  textBytes: 50 * 1024,
} as const;

export type TemplatePart = keyof RenderedEmail;
export const TEMPLATE_PARTS: readonly TemplatePart[] = ["subject", "html", "text"];

export const engineFor = (part: TemplatePart): Liquid => (part === "html" ? htmlLiquid : textLiquid);

/** The body of `PUT …/email_templates/{name}`. Sizes in bytes are checked after (./validate.ts). */
export const templateInputSchema = z.strictObject({
  subject: z.string().min(1, "field.required").max(TEMPLATE_LIMITS.subjectChars, "field.too_long"),
  html: z.string().min(1, "field.required"),
  text: z.string().min(1, "field.required"),
});

/**
 * Every problem of a template, at most one per part (Liquid stops at the first), so a designer
 * sees all three at once: size, then syntax (tags, filters), then variables it does not have
 * (read statically, so a typo in a branch the sample does not take is found too), then a render
 * with the sample data and with its sparse twin (no app, no names). Empty when it is good.
 */
export function templateErrors(parts: RenderedEmail, sample: TemplateVars): FieldError[] {
  const errors: FieldError[] = [];
  for (const part of TEMPLATE_PARTS) {
    const error = partError(part, parts[part], sample);
    if (error) errors.push(error);
  }
  return errors;
}

function partError(part: TemplatePart, source: string, sample: TemplateVars): FieldError | null {
  const size = sizeError(part, source);
  if (size) return size;
  const liquid = engineFor(part);
  let templates: Template[];
  try {
    templates = liquid.parse(source);
  } catch (error) {
    return liquidFieldError(part, error);
  }
  const unknown = unknownVariable(liquid, templates, sample);
  if (unknown)
    return invalid(part, unknown.location.row, unknown.location.col, describeUnknown(unknown, sample));
  try {
    for (const vars of [sample, sparseVars(sample)]) renderBounded(liquid, templates, vars);
  } catch (error) {
    return liquidFieldError(part, error);
  }
  return null;
}

function sizeError(part: TemplatePart, source: string): FieldError | null {
  if (part === "subject") {
    return /[\r\n]/.test(source) ? { field: part, code: "template.multiline" } : null;
  }
  const max = part === "html" ? TEMPLATE_LIMITS.htmlBytes : TEMPLATE_LIMITS.textBytes;
  const size = Buffer.byteLength(source, "utf8");
  return size > max ? { field: part, code: "template.too_large", params: { max, size } } : null;
}

const invalid = (field: TemplatePart, line: number, column: number, detail: string): FieldError => ({
  field,
  code: "template.invalid",
  params: { line, column, detail },
});

/** A Liquid parse or render error as a field error naming its line and column. Anything else is a bug. */
export function liquidFieldError(part: TemplatePart, error: unknown): FieldError {
  if (!LiquidError.is(error)) throw error;
  const [line = 1, column = 1] = error.token.getPosition();
  return invalid(part, line, column, describeLiquidError(error));
}

const removedTags = new Set(["include", "render", "layout", "block"]);

/** Liquid's message without its position, in words a designer can act on. */
function describeLiquidError(error: LiquidError): string {
  const message = (error.originalError?.message ?? error.message).replace(/, line:\d+, col:\d+$/, "");
  if (message === "undefined filter: raw") {
    return "the raw filter is not allowed: every output is escaped, and every variable prints correctly escaped";
  }
  const filter = /^undefined filter: (.+)$/.exec(message);
  if (filter) return `unknown filter "${filter[1]}"`;
  const tag = /^tag "(.+)" not found$/.exec(message);
  if (tag?.[1] && removedTags.has(tag[1])) {
    return `the ${tag[1]} tag is not available: an email template is one self-contained source, without partials or layouts`;
  }
  if (tag) return `unknown tag "${tag[1]}"`;
  if (message.includes("memory alloc limit exceeded")) {
    return "the template does too much work (memory limit): make loops and ranges smaller";
  }
  if (message.includes("template render limit exceeded")) {
    return `the template takes too long to render (over ${RENDER_LIMIT_MS} ms): make loops smaller`;
  }
  if (message.includes("output limit exceeded")) {
    return `the template renders to more than ${MAX_OUTPUT_CHARS} characters: make loops smaller`;
  }
  if (message.includes("Maximum call stack size exceeded")) {
    return "the template nests tags too deeply";
  }
  const variable = /^undefined variable: (.+)$/.exec(message);
  if (variable) return `unknown variable "${variable[1]}"`;
  return message;
}

type Shape = unknown;

/**
 * The first variable the template reads that its sample does not have, in source order. Liquid's
 * own `size`, `first` and `last` of strings and lists are known; a key computed at render time
 * (`user[key]`) is left to the render.
 */
function unknownVariable(liquid: Liquid, templates: Template[], sample: TemplateVars): Variable | null {
  const { globals } = liquid.analyzeSync(templates, { partials: false });
  const found = Object.values(globals)
    .flat()
    .filter((v) => !knownPath(sample, v.segments));
  found.sort((a, b) => a.location.row - b.location.row || a.location.col - b.location.col);
  return found[0] ?? null;
}

function knownPath(sample: Shape, segments: Variable["segments"]): boolean {
  let node: Shape = sample;
  for (const segment of segments) {
    if (typeof segment === "object") return true;
    if (
      (typeof node === "string" || Array.isArray(node)) &&
      ["size", "first", "last"].includes(String(segment))
    )
      return true;
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, segment)) return false;
    node = (node as Record<string | number, Shape>)[segment];
  }
  return true;
}

function describeUnknown(variable: Variable, sample: TemplateVars): string {
  let node: Shape = sample;
  const path: string[] = [];
  for (const segment of variable.segments) {
    const key = String(segment);
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) {
      const has = node !== null && typeof node === "object" ? Object.keys(node) : [];
      if (!path.length) return `unknown variable "${key}"; this email has: ${has.join(", ")}`;
      if (!has.length)
        return `unknown variable "${variable.toString()}": "${path.join(".")}" has no properties`;
      return `unknown variable "${variable.toString()}": "${path.join(".")}" has ${has.join(", ")}`;
    }
    node = (node as Record<string, Shape>)[key];
    path.push(key);
  }
  return `unknown variable "${variable.toString()}"`;
}
