/** Emails and usernames are compared case-insensitively: stored as NFKC, trimmed, lower case. */
export function normalizeIdentifier(value: string): string {
  return value.normalize("NFKC").trim().toLowerCase();
}
