/**
 * What may be logged of an unexpected error on a path that handles secrets (email bodies with
 * one-time links): its kind and the database's own code and message, never the query parameters
 * that drizzle puts into its message (`Failed query: … params: …`).
 */
export function loggableError(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  if (error.message.startsWith("Failed query")) {
    const code = typeof cause?.code === "string" ? ` ${cause.code}` : "";
    const detail = typeof cause?.message === "string" ? `: ${cause.message}` : "";
    return `${error.name} (database${code})${detail}`;
  }
  return `${error.name}: ${error.message}`;
}
