/** True for a PostgreSQL unique violation, from either driver, whether or not drizzle wrapped it. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const pg = e as { code?: string; constraint?: string; constraint_name?: string };
    if (pg.code === "23505") {
      if (!constraint) return true;
      return (pg.constraint ?? pg.constraint_name) === constraint;
    }
  }
  return false;
}
