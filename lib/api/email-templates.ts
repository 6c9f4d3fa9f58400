import { z } from "zod";
import { TEMPLATE_LIMITS } from "@/lib/email";

/**
 * Response shapes of `/api/v1/realms/{realm}/email_templates`. Fields not named here are stripped.
 * The body limit of PUT and preview fits the largest template (HTML and text at their limits,
 * JSON-escaped), so a template over its limit gets the 422 that names the part, not a bare 413.
 */
export const EMAIL_TEMPLATE_BODY_BYTES =
  2 * (TEMPLATE_LIMITS.htmlBytes + TEMPLATE_LIMITS.textBytes) + 64 * 1024;

const variableOut = z.object({
  name: z.string(),
  description: z.string(),
  example: z.union([z.string(), z.number(), z.null()]),
});

const partsOut = z.object({ subject: z.string(), html: z.string(), text: z.string() });

const base = {
  name: z.string(),
  custom: z.boolean(),
  subject: z.string(),
  updatedAt: z.date().nullable(),
  variables: z.array(variableOut),
};

/** One entry of the list: no bodies (GET the template for those). */
export const emailTemplateSummaryOut = z.object(base).transform((t) => ({
  object: "email_template" as const,
  name: t.name,
  custom: t.custom,
  subject: t.subject,
  updated_at: t.updatedAt?.toISOString() ?? null,
  variables: t.variables,
}));

export const emailTemplateOut = z
  .object({ ...base, html: z.string(), text: z.string(), defaults: partsOut })
  .transform((t) => ({
    object: "email_template" as const,
    name: t.name,
    custom: t.custom,
    subject: t.subject,
    html: t.html,
    text: t.text,
    updated_at: t.updatedAt?.toISOString() ?? null,
    variables: t.variables,
    default: t.defaults,
  }));

export const emailPreviewOut = partsOut.transform((p) => ({ object: "email_preview" as const, ...p }));
