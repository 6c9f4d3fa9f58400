import { and, eq, inArray } from "drizzle-orm";
import { LiquidError } from "liquidjs";
import { z } from "zod";
import type { Clock } from "@/lib/clock";
import { type Db, tables } from "@/lib/db";
import { AppError, type FieldError, parseOrThrow } from "@/lib/errors";
import type { Realm } from "@/lib/realms";
import { readThemeTokens } from "@/lib/themes";
import {
  isTemplateName,
  type RenderedEmail,
  TEMPLATE_NAMES,
  type TemplateName,
  type TemplateVars,
} from "./catalogue";
import { defaultTemplates } from "./defaults";
import { OutputTooLargeError, renderBounded, SEND_RENDER_LIMIT_MS } from "./engine";
import { overrideSample } from "./sample-override";
import {
  engineFor,
  liquidFieldError,
  TEMPLATE_LIMITS,
  TEMPLATE_PARTS,
  type TemplatePart,
  templateErrors,
  templateInputSchema,
} from "./validate";
import {
  completeVars,
  sampleVars,
  type TemplateVariable,
  templateTheme,
  templateVariables,
} from "./variables";

function renderPart(part: TemplatePart, source: string, vars: TemplateVars): string {
  const liquid = engineFor(part);
  const out = renderBounded(liquid, liquid.parse(source), vars, SEND_RENDER_LIMIT_MS);
  // A subject is one line: a template (or a name printed in it) must not be able to add mail headers.
  return part === "subject" ? out.replace(/\s+/g, " ").trim().slice(0, TEMPLATE_LIMITS.subjectChars) : out;
}

/** Renders one template's three parts with the same variables. Throws Liquid's errors. */
export function renderParts(parts: RenderedEmail, vars: TemplateVars): RenderedEmail {
  return {
    subject: renderPart("subject", parts.subject, vars),
    html: renderPart("html", parts.html, vars),
    text: renderPart("text", parts.text, vars),
  };
}

/** A template as the API shows it: its source, whether the realm changed it, and its variables. */
export interface EmailTemplateView extends RenderedEmail {
  name: TemplateName;
  custom: boolean;
  updatedAt: Date | null;
  variables: TemplateVariable[];
  defaults: RenderedEmail;
}

type RealmRef = Pick<Realm, "id" | "slug" | "name">;

/** `POST …/preview`: unsaved parts (any of them) and sample values to change. */
const previewSchema = templateInputSchema.partial().extend({ sample: z.unknown().optional() });

/** The template named in a path, or 404 naming the ones there are. */
export function templateNameOf(name: string): TemplateName {
  if (isTemplateName(name)) return name;
  throw new AppError("email_template.not_found", {
    params: { name: name.slice(0, 64), names: TEMPLATE_NAMES.join(", ") },
  });
}

/** True for what a realm's template can do wrong at render time (as opposed to a bug). */
const isTemplateFailure = (error: unknown) => LiquidError.is(error) || error instanceof OutputTooLargeError;

export interface EmailTemplatesDeps {
  db: Db;
  clock: Clock;
  realmUrl: (realm: Pick<Realm, "slug">) => string;
  /** The realm's stored theme tokens (lib/realms `theme`), read through `tx` when given. */
  theme: (realmId: string, tx?: Db) => Promise<unknown>;
}

/** A realm's templates: its own override of each email when it has one, else the bundled default. */
export function createEmailTemplates({ db, clock, realmUrl, theme }: EmailTemplatesDeps) {
  const t = tables.emailTemplates;

  type Source = RenderedEmail & { custom: boolean; updatedAt: Date | null };
  const bundled = (name: TemplateName): Source => ({
    ...defaultTemplates[name],
    updatedAt: null,
    custom: false,
  });

  /** The realm's overrides of `names` (all when omitted), each with the default where there is none. */
  // Pass `tx` inside a transaction: PGlite runs one statement at a time, so a read outside it waits forever.
  async function sources(
    realmId: string,
    names?: TemplateName[],
    tx: Db = db,
  ): Promise<Map<TemplateName, Source>> {
    const rows = await tx
      .select({ name: t.name, subject: t.subject, html: t.html, text: t.text, updatedAt: t.updatedAt })
      .from(t)
      .where(and(eq(t.realmId, realmId), names ? inArray(t.name, names) : undefined));
    const found = new Map(rows.map(({ name, ...row }) => [name, { ...row, custom: true }]));
    return new Map((names ?? TEMPLATE_NAMES).map((name) => [name, found.get(name) ?? bundled(name)]));
  }

  async function source(realmId: string, name: TemplateName, tx?: Db): Promise<Source> {
    return (await sources(realmId, [name], tx)).get(name) ?? bundled(name);
  }

  async function sampleContext(realm: RealmRef) {
    return {
      realm: { name: realm.name, url: realmUrl(realm) },
      now: clock.now(),
      theme: templateTheme(readThemeTokens(await theme(realm.id))),
    };
  }

  async function sample(realm: RealmRef, name: TemplateName): Promise<TemplateVars> {
    return sampleVars(name, await sampleContext(realm));
  }

  /** The API's view of `names` (all when omitted): two queries, whatever the count. */
  async function views(realm: RealmRef, names?: TemplateName[]): Promise<EmailTemplateView[]> {
    const [found, ctx] = await Promise.all([sources(realm.id, names), sampleContext(realm)]);
    return [...found].map(([name, source]) => ({
      name,
      custom: source.custom,
      subject: source.subject,
      html: source.html,
      text: source.text,
      updatedAt: source.updatedAt,
      variables: templateVariables(name, sampleVars(name, ctx)),
      defaults: defaultTemplates[name],
    }));
  }

  async function view(realm: RealmRef, name: TemplateName): Promise<EmailTemplateView> {
    const [one] = await views(realm, [name]);
    if (!one) throw new Error(`no view of ${name}`);
    return one;
  }

  /** Parts that fail validation, as one 422 naming each part's line and column. */
  function assertValid(parts: RenderedEmail, vars: TemplateVars, extra: FieldError[] = []): void {
    const fields = [...extra, ...templateErrors(parts, vars)];
    if (fields.length) throw new AppError("validation.failed", { fields });
  }

  return {
    source,

    /**
     * The email to send. A realm's template passed validation when it was saved, and missing
     * variables are filled with null; should it still fail (a value the samples did not foresee),
     * the bundled default goes out rather than no email at all, and the failure is logged.
     */
    async render(
      realmId: string,
      name: TemplateName,
      vars: Omit<TemplateVars, "theme">,
      tx?: Db,
    ): Promise<RenderedEmail> {
      const full = completeVars(name, {
        ...vars,
        theme: templateTheme(readThemeTokens(await theme(realmId, tx))),
      });
      const found = await source(realmId, name, tx);
      if (found.custom) {
        try {
          return renderParts(found, full);
        } catch (error) {
          if (!isTemplateFailure(error)) throw error;
          console.error(
            `[email] realm ${realmId}: its ${name} template failed (${(error as Error).message}); sending the default`,
          );
        }
      }
      return renderParts(defaultTemplates[name], full);
    },

    async list(realm: RealmRef): Promise<EmailTemplateView[]> {
      return views(realm);
    },

    async get(realm: RealmRef, name: string): Promise<EmailTemplateView> {
      return view(realm, templateNameOf(name));
    },

    /** Validates, then saves the realm's override. On any error nothing is written. */
    async save(realm: RealmRef, name: string, input: unknown): Promise<EmailTemplateView> {
      const template = templateNameOf(name);
      const parts = parseOrThrow(templateInputSchema, input);
      assertValid(parts, await sample(realm, template));
      const now = clock.now();
      await db
        .insert(t)
        .values({ realmId: realm.id, name: template, ...parts, updatedAt: now })
        .onConflictDoUpdate({ target: [t.realmId, t.name], set: { ...parts, updatedAt: now } });
      return view(realm, template);
    },

    /** Back to the bundled default. True when there was an override to remove. */
    async reset(realm: RealmRef, name: string): Promise<boolean> {
      const template = templateNameOf(name);
      const removed = await db
        .delete(t)
        .where(and(eq(t.realmId, realm.id), eq(t.name, template)))
        .returning({ name: t.name });
      return removed.length > 0;
    },

    /**
     * Renders the saved template, or the draft parts given, with sample data: the realm's real name
     * and URL, Ada Lovelace as the user, and any `sample` values the caller changes. Saves nothing.
     */
    async preview(realm: RealmRef, name: string, input: unknown): Promise<RenderedEmail> {
      const template = templateNameOf(name);
      const draft = parseOrThrow(previewSchema, input ?? {});
      const base = await sample(realm, template);
      const sampleErrors: FieldError[] = [];
      const vars = overrideSample(base, draft.sample, sampleErrors);
      const saved = await source(realm.id, template);
      const parts: RenderedEmail = {
        subject: draft.subject ?? saved.subject,
        html: draft.html ?? saved.html,
        text: draft.text ?? saved.text,
      };
      assertValid(parts, base, sampleErrors);
      // The parts are valid with the samples; only the caller's sample values can fail them now.
      const rendered: Partial<RenderedEmail> = {};
      const failures: FieldError[] = [];
      for (const part of TEMPLATE_PARTS) {
        try {
          rendered[part] = renderPart(part, parts[part], vars);
        } catch (error) {
          if (!isTemplateFailure(error)) throw error;
          failures.push(liquidFieldError(part, error));
        }
      }
      if (failures.length) throw new AppError("validation.failed", { fields: failures });
      return rendered as RenderedEmail;
    },
  };
}

export type EmailTemplates = ReturnType<typeof createEmailTemplates>;
