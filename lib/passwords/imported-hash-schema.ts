import { z } from "zod";
import { hashBounds } from "./hash-bounds";
import { parsePasswordHash } from "./hash-formats";

/**
 * A password hash imported from another system (docs/import.md). Its format and cost are checked
 * here, parsed once and never computed, so a refused hash becomes a field error that says why.
 */
export const importedPasswordHashSchema = z
  .string()
  .max(hashBounds.maxEncodedLength, { error: "password.hash_invalid", abort: true })
  .superRefine((value, ctx) => {
    const parsed = parsePasswordHash(value);
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.problem });
  });
