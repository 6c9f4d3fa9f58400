import { AppError } from "@/lib/errors";
import { normalizeIdentifier } from "@/lib/users/normalize";
import type { FieldMapping, RawProfile, UpstreamProfile } from "./types";

/**
 * The pieces every profile mapping shares. Upstream JSON is untrusted input: each reader accepts
 * one documented shape and turns anything else into "absent" (or, for the subject, a refusal).
 */

/** Longest subject we store; providers' ids are far shorter (Google's `sub` is 21 digits). */
const MAX_SUBJECT = 255;
const MAX_EMAIL = 254;
const MAX_NAME = 100;

/** The account's stable id: a non-empty string, or a number (GitHub's ids) as its decimal text. */
export function subjectOf(value: unknown): string {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === "string") {
    const subject = value.trim();
    if (subject && subject.length <= MAX_SUBJECT && subject === value) return subject;
  }
  throw new AppError("social.profile_invalid");
}

/** An address as the provider gave it, normalised like ours (NFKC, trimmed, lower case); else null. */
export function emailOf(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const email = normalizeIdentifier(value);
  if (email.length > MAX_EMAIL || !/^[^\s@]+@[^\s@]+$/.test(email)) return null;
  return email;
}

/**
 * Whether the provider vouches for the address: only an explicit `true`. `"true"` counts only
 * where a provider documents a string flag (`acceptString`); `1`, `"yes"`, absent: not verified.
 */
export function verifiedFlag(value: unknown, options: { acceptString?: boolean } = {}): boolean {
  if (value === true) return true;
  return options.acceptString === true && value === "true";
}

/** A name part: trimmed, empty as null, cut to what the user record holds. */
export function nameOf(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const name = value.trim().replace(/\s+/g, " ");
  return name ? name.slice(0, MAX_NAME).trim() : null;
}

/** "Ada King Lovelace" → first "Ada", last "King Lovelace"; one word is a first name only. */
export function splitName(full: unknown): { firstName: string | null; lastName: string | null } {
  const name = nameOf(full);
  if (!name) return { firstName: null, lastName: null };
  const space = name.indexOf(" ");
  if (space < 0) return { firstName: name, lastName: null };
  return { firstName: name.slice(0, space), lastName: name.slice(space + 1) };
}

/** First and last name from separate fields, else split from the full name. */
export function namesOf(first: unknown, last: unknown, full: unknown) {
  const firstName = nameOf(first);
  const lastName = nameOf(last);
  if (firstName || lastName) return { firstName, lastName };
  return splitName(full);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Reads a dotted path (`data.email`, `emails.0.value`) in JSON. Own properties only: a path such
 * as `__proto__.x` or `constructor.name` finds nothing.
 */
export function readPath(json: unknown, path: string): unknown {
  let node: unknown = json;
  for (const part of path.split(".")) {
    if (Array.isArray(node) && /^\d+$/.test(part)) node = node[Number(part)];
    else if (isRecord(node) && Object.hasOwn(node, part)) node = node[part];
    else return undefined;
  }
  return node;
}

/**
 * OpenID Connect standard claims (Core 1.0 section 5.1): the ID token's claims, completed by the
 * userinfo's (some providers put email and names only there). The subject comes from the ID
 * token, which the flow has validated; the flow also checks that the userinfo's `sub` matches.
 */
export function mapOidcClaims(raw: RawProfile): UpstreamProfile {
  const idToken = raw.idToken ?? {};
  const userinfo = raw.userinfo ?? {};
  const claims = { ...idToken, ...userinfo };
  // The address and its flag come from the same source: a userinfo address is never vouched for
  // by the ID token's `email_verified` (which was about the ID token's address).
  const source = emailOf(userinfo.email) !== null ? userinfo : idToken;
  const email = emailOf(source.email);
  return {
    subject: subjectOf(raw.idToken ? idToken.sub : userinfo.sub),
    email,
    emailVerified: email !== null && verifiedFlag(source.email_verified),
    ...namesOf(claims.given_name, claims.family_name, claims.name),
  };
}

/** A generic OAuth 2.0 provider's profile, read through its configured field mapping. */
export function mapWithFieldMapping(raw: RawProfile, mapping: FieldMapping): UpstreamProfile {
  const json = raw.userinfo ?? {};
  const read = (path: string | undefined) => (path ? readPath(json, path) : undefined);
  const email = emailOf(read(mapping.email));
  return {
    subject: subjectOf(read(mapping.id)),
    email,
    emailVerified: email !== null && verifiedFlag(read(mapping.email_verified)),
    ...namesOf(read(mapping.first_name), read(mapping.last_name), read(mapping.name)),
  };
}
