import { Context, Liquid, type Template, toValue, toValueSync } from "liquidjs";

/** Work one render may do before it is stopped: wall time, allocations (ranges, filters), output. */
export const RENDER_LIMIT_MS = 250;
/**
 * The wall-time bound of a render for sending. Every stored template passed RENDER_LIMIT_MS when
 * it was saved (./validate.ts); at send time the bound only stops a runaway, and must not fail an
 * email because the machine is busy (a sync render's wall time includes time the process was not
 * scheduled: under heavy load a 250 ms bound dropped a security notice).
 */
export const SEND_RENDER_LIMIT_MS = 5_000;
export const MEMORY_LIMIT = 1_000_000;
export const MAX_OUTPUT_CHARS = 1_000_000;

/**
 * Liquid for designers' templates (DESIGN section 8). What a template may not do:
 * - read anything but its variables: no file system, and no `include` / `render` / `layout` /
 *   `block` tags at all (an email template is one self-contained source);
 * - guess: strict variables and filters, so a typo is an error rather than a blank;
 * - reach past plain data: own properties only (`user.constructor` is an unknown variable);
 * - print unescaped HTML: the `raw` filter is removed, every `{{ output }}` of the HTML part is
 *   escaped (every variable is safe to print escaped, links included);
 * - run away: ranges and filters are charged against a memory budget, a render stops after
 *   RENDER_LIMIT_MS, and its output stops at MAX_OUTPUT_CHARS (./engine.test.ts proves each).
 * Dates print in UTC, whatever the server's time zone.
 */
function engine(escapeHtml: boolean): Liquid {
  const liquid = new Liquid({
    templates: {},
    strictVariables: true,
    strictFilters: true,
    ownPropertyOnly: true,
    outputEscape: escapeHtml ? "escape" : undefined,
    timezoneOffset: 0,
    parseLimit: 200_000,
    renderLimit: RENDER_LIMIT_MS,
    memoryLimit: MEMORY_LIMIT,
  });
  // Removed rather than overridden: with strictFilters and unknown tags refused, using one is a
  // parse error with its line and column, caught when the template is saved.
  for (const tag of ["include", "render", "layout", "block"]) delete liquid.tags[tag];
  delete liquid.filters.raw;
  return liquid;
}

/** HTML bodies: every `{{ output }}` is HTML-escaped. */
export const htmlLiquid = engine(true);
/** Subjects and plain-text bodies: nothing to escape. */
export const textLiquid = engine(false);

export class OutputTooLargeError extends Error {
  constructor() {
    super(`output limit exceeded (${MAX_OUTPUT_CHARS} characters)`);
  }
}

/** What Liquid's own emitter writes for a value (nil → "", arrays joined). */
function printed(value: unknown): string {
  const v = toValue(value);
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return "";
  return Array.isArray(v) ? v.map(printed).join("") : String(v);
}

/**
 * Renders parsed templates synchronously into a bounded buffer. Synchronous, so the time limit
 * measures this render alone (the async render interleaves with others); bounded, so a loop that
 * prints a large block cannot build a huge string before the time limit stops it.
 */
export function renderBounded(
  liquid: Liquid,
  templates: Template[],
  scope: object,
  renderLimit: number = RENDER_LIMIT_MS,
): string {
  const ctx = new Context(scope, liquid.options, { sync: true, renderLimit }, { liquid });
  const emitter = {
    buffer: "",
    write(html: unknown) {
      this.buffer += printed(html);
      if (this.buffer.length > MAX_OUTPUT_CHARS) throw new OutputTooLargeError();
    },
  };
  toValueSync(liquid.renderer.renderTemplates(templates, ctx, emitter));
  return emitter.buffer;
}
