import { Liquid } from "liquidjs";

/**
 * Liquid for designers' templates (DESIGN section 8): no file system (includes resolve only from an
 * empty in-memory map), strict variables and filters so a typo is an error rather than a blank,
 * own properties only, and bounded work so a template cannot stall the worker.
 */
function engine(escapeHtml: boolean): Liquid {
  return new Liquid({
    templates: {},
    strictVariables: true,
    strictFilters: true,
    ownPropertyOnly: true,
    outputEscape: escapeHtml ? "escape" : undefined,
    parseLimit: 200_000,
    renderLimit: 1_000,
    memoryLimit: 10_000_000,
    cache: 200,
  });
}

/** HTML bodies: every `{{ output }}` is HTML-escaped (`| raw` opts out, for trusted links only). */
export const htmlLiquid = engine(true);
/** Subjects and plain-text bodies: nothing to escape. */
export const textLiquid = engine(false);
