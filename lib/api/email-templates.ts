import { z } from "zod";

/**
 * Response shapes of `/api/v1/realms/{realm}/email_templates`. Fields not named here are stripped.
 * The body limit of PUT and preview (512 KB) fits the largest template even when JSON escaping
 * doubles it (./email-templates.test.ts), so a part over its own limit gets the 422 that names
 * it rather than a bare 413.
 */
export const EMAIL_TEMPLATE_BODY_BYTES = 512 * 1024;

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
