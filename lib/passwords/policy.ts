import type { FieldError } from "@/lib/errors/app-error";
import type { RealmSettings } from "@/lib/realms/settings";

/**
 * A realm's rules for a new password (DESIGN section 7), as plain data. Pure: the hosted forms run
 * the same function in the browser (inline errors), the server runs it as the authority.
 */

export type CharacterClass = "lower" | "upper" | "digit" | "symbol";

export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
  /** zxcvbn score (0–4) a new password must reach; 0 turns the rule off. */
  strengthMin: number;
  requiredClasses: readonly CharacterClass[];
  /** Refuse an exact (case-insensitive) match in the common-password dictionary. */
  blocklist: boolean;
  /** The realm's own words (name, slug): zxcvbn counts a password built on them as guessable. */
  siteWords: readonly string[];
}

/** Who the password is for; absent parts are simply not checked. */
export interface PasswordIdentity {
  email?: string | null;
  username?: string | null;
  firstName?: string | null;
  lastName?: string | null;
}

/** What the policy needs from zxcvbn (lib/passwords/strength.ts); a fake in tests. */
export interface StrengthEstimator {
  /** zxcvbn score 0–4, the identity and site words counting as known to an attacker. */
  score(password: string, userInputs: readonly string[]): number;
  /** Exact, case-insensitive hit in the common-password dictionary. */
  isCommon(password: string): boolean;
}

/**
 * An email's local part or a username shorter than this is not refused inside a password: "al" or
 * "bob" occur in too many innocent passwords. Shorter ones still count as guessable words for the
 * strength score. The whole email address is always refused.
 */
export const IDENTIFIER_MIN_LENGTH = 4;

const CLASS_ORDER: readonly CharacterClass[] = ["lower", "upper", "digit", "symbol"];

/** Unicode-aware: `é` is lower case, `Ä` upper case, `٣` a digit; anything else (space too) a symbol. */
const CLASS_PATTERNS: Record<CharacterClass, RegExp> = {
  lower: /\p{Ll}/u,
  upper: /\p{Lu}/u,
  digit: /\p{Nd}/u,
  symbol: /[^\p{L}\p{N}]/u,
};

export function passwordPolicyOf(realm: {
  name: string;
  slug: string;
  settings: Pick<
    RealmSettings,
    | "password_min_length"
    | "password_max_length"
    | "password_strength_min"
    | "password_required_classes"
    | "password_blocklist"
  >;
}): PasswordPolicy {
  const s = realm.settings;
  return {
    minLength: s.password_min_length,
    maxLength: s.password_max_length,
    strengthMin: s.password_strength_min,
    requiredClasses: s.password_required_classes,
    blocklist: s.password_blocklist,
    siteWords: [realm.name, realm.slug],
  };
}

/** Whether the policy needs zxcvbn at all (the browser then loads it). */
export function needsStrengthEstimator(policy: PasswordPolicy): boolean {
  return policy.blocklist || policy.strengthMin > 0;
}

/** Code points, as zod 4 measures strings: a surrogate pair is one, a lone surrogate one too. */
export function characterCount(value: string): number {
  let count = value.length;
  for (let i = 0; i < value.length - 1; i++) {
    if ((value.charCodeAt(i) & 0xfc00) === 0xd800 && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      count--;
      i++;
    }
  }
  return count;
}

const fold = (value: string) => value.normalize("NFKC").toLowerCase();

function identifiers(identity: PasswordIdentity): string[] {
  const out: string[] = [];
  const email = identity.email ? fold(identity.email.trim()) : "";
  if (email) out.push(email);
  const at = email.lastIndexOf("@");
  const local = at > 0 ? email.slice(0, at) : "";
  if (local.length >= IDENTIFIER_MIN_LENGTH) out.push(local);
  const username = identity.username ? fold(identity.username.trim()) : "";
  if (username.length >= IDENTIFIER_MIN_LENGTH) out.push(username);
  return out;
}

/**
 * Words zxcvbn should treat as known: identity parts (and the pieces of a dotted local part), site
 * words. The strength meter scores with the same words as the policy.
 */
export function strengthInputs(identity: PasswordIdentity, siteWords: readonly string[]): string[] {
  const words = new Set<string>();
  const add = (value: string | null | undefined) => {
    const v = value ? fold(value.trim()) : "";
    if (v) words.add(v);
  };
  const email = identity.email ? fold(identity.email.trim()) : "";
  add(email);
  const local = email.includes("@") ? email.slice(0, email.lastIndexOf("@")) : "";
  add(local);
  for (const piece of local.split(/[._+-]+/)) if (piece.length >= 3) add(piece);
  add(identity.username);
  add(identity.firstName);
  add(identity.lastName);
  for (const word of siteWords) add(word);
  return [...words];
}

/**
 * Every rule the candidate fails, at once, as field errors with stable codes (and `min`/`max`
 * parameters where the message needs them). Length is counted in characters (Unicode code points)
 * exactly as zod counts it, so the schema and the policy never disagree: an emoji is one character.
 *
 * - An empty password is only `field.required`: the other rules would be noise.
 * - `password.too_weak` is left out when `password.too_common` applies (the more specific reason
 *   for the same weakness), and when the password is over the maximum (it is refused anyway, and
 *   no estimator work is spent on it).
 * - Without an estimator (the browser before zxcvbn has loaded) the blocklist and strength rules
 *   are skipped; the server always passes one.
 */
export function checkPasswordPolicy({
  policy,
  password,
  identity,
  estimator,
  field = "password",
}: {
  policy: PasswordPolicy;
  password: string;
  identity: PasswordIdentity;
  estimator: StrengthEstimator | null;
  field?: string;
}): FieldError[] {
  if (password.length === 0) return [{ field, code: "field.required" }];
  const errors: FieldError[] = [];
  const fail = (code: FieldError["code"], params?: FieldError["params"]) =>
    errors.push(params ? { field, code, params } : { field, code });

  const length = characterCount(password);
  const tooLong = length > policy.maxLength;
  if (length < policy.minLength) fail("password.too_short", { min: policy.minLength });
  if (tooLong) fail("password.too_long", { max: policy.maxLength });
  for (const c of CLASS_ORDER) {
    if (policy.requiredClasses.includes(c) && !CLASS_PATTERNS[c].test(password))
      fail(`password.missing_${c}`);
  }
  const common = Boolean(policy.blocklist && estimator?.isCommon(password));
  if (common) fail("password.too_common");
  const folded = fold(password);
  if (identifiers(identity).some((id) => folded.includes(id))) fail("password.contains_identifier");
  if (estimator && policy.strengthMin > 0 && !common && !tooLong) {
    const score = estimator.score(password, strengthInputs(identity, policy.siteWords));
    if (score < policy.strengthMin) fail("password.too_weak", { min: policy.strengthMin });
  }
  return errors;
}
