import { z } from "zod";

/** `?limit=&after=`: ids are time-ordered, so "after this id" is a stable cursor. */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  after: z
    .string()
    .max(64)
    .regex(/^[a-z]+_[0-9a-z]+$/, "field.invalid")
    .optional(),
});

export type PageQuery = z.output<typeof pageQuerySchema>;

export interface Page<T> {
  data: T[];
  has_more: boolean;
  next_after: string | null;
}

/** Callers fetch `limit + 1` rows; the extra one only says whether there is more. */
export function toPage<T extends { id: string }, O>(
  rows: T[],
  limit: number,
  serialize: (row: T) => O,
): Page<O> {
  const hasMore = rows.length > limit;
  const slice = hasMore ? rows.slice(0, limit) : rows;
  return {
    data: slice.map(serialize),
    has_more: hasMore,
    next_after: hasMore ? (slice.at(-1)?.id ?? null) : null,
  };
}
