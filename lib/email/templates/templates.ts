import { and, eq } from "drizzle-orm";
import { type Db, tables } from "@/lib/db";
import type { RenderedEmail, TemplateName, TemplateVars } from "./catalogue";
import { defaultTemplates } from "./defaults";
import { htmlLiquid, textLiquid } from "./engine";

/** Renders one template's three parts with the same variables. */
export async function renderParts(parts: RenderedEmail, vars: TemplateVars): Promise<RenderedEmail> {
  const scope = vars as unknown as Record<string, unknown>;
  const [subject, html, text] = await Promise.all([
    textLiquid.parseAndRender(parts.subject, scope),
    htmlLiquid.parseAndRender(parts.html, scope),
    textLiquid.parseAndRender(parts.text, scope),
  ]);
  // A subject is one line: a template must not be able to add mail headers.
  return { subject: subject.replace(/\s+/g, " ").trim().slice(0, 250), html, text };
}

/** A realm's templates: its own override of each email when it has one, else the bundled default. */
export function createEmailTemplates({ db }: { db: Db }) {
  const t = tables.emailTemplates;
  return {
    /** Pass `tx` when inside a transaction: PGlite runs one statement at a time, outside ones wait. */
    async source(
      realmId: string,
      name: TemplateName,
      tx: Db = db,
    ): Promise<RenderedEmail & { custom: boolean }> {
      const [row] = await tx
        .select({ subject: t.subject, html: t.html, text: t.text })
        .from(t)
        .where(and(eq(t.realmId, realmId), eq(t.name, name)))
        .limit(1);
      return row ? { ...row, custom: true } : { ...defaultTemplates[name], custom: false };
    },

    async render(realmId: string, name: TemplateName, vars: TemplateVars, tx?: Db): Promise<RenderedEmail> {
      return renderParts(await this.source(realmId, name, tx), vars);
    },
  };
}

export type EmailTemplates = ReturnType<typeof createEmailTemplates>;
