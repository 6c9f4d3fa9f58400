import fc from "fast-check";

/**
 * Input that breaks naive code: shared by the API fuzz (test/api-fuzz.db.test.ts) and the hosted
 * form fuzz over HTTP (test/reliability/form-fuzz.test.ts). Sizes stay just past the limits the
 * product declares (64 KB JSON, 64 KB action bodies) so that a run stays cheap.
 */
const nasty = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "%00",
  "\r\nSet-Cookie: x=1",
  "\ud800",
  "\udfff\ud800",
  "\u202eevil",
  "\u200b",
  "e\u0301",
  "👩‍👩‍👧‍👦",
  "İstanbul",
  "ß",
  "ﬀ",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "../../etc/passwd",
  "javascript:alert(1)",
  "null",
  "undefined",
  "NaN",
  "-0",
  "1e309",
  "__proto__",
  "constructor",
  "$ACTION_ID_x",
  "{{ 7*7 }}",
  "a@b",
  "user@example.com\u0000.evil",
  "x".repeat(300),
];

/** A string that has broken something, somewhere: control characters, lone surrogates, huge, empty. */
export const adversarialString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...nasty), weight: 4 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 40 }), weight: 3 },
  { arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }), weight: 2 },
  {
    arbitrary: fc
      .tuple(fc.string({ maxLength: 8 }), fc.constantFrom("\u0000", "\u0001", "\u007f", "\ud83d", "\uffff"))
      .map(([s, c]) => `${s}${c}${s}`),
    weight: 2,
  },
  {
    // Past every field limit, and past 64 KB in bytes for multi-byte characters.
    arbitrary: fc.constantFrom("x", "é", "😀", "\u0000").map((c) => c.repeat(70_000 / c.length)),
    weight: 1,
  },
);

/** Any JSON value, weighted towards the shapes a field might half-expect. */
export const adversarialJson: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: adversarialString, weight: 4 },
  {
    arbitrary: fc.constantFrom(0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308, true, false, null),
    weight: 2,
  },
  { arbitrary: fc.array(adversarialString, { maxLength: 3 }), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
);

/** Field names the API and the forms read, so that values reach validation, not just "unknown key". */
export const FIELD_NAMES = [
  "email",
  "password",
  "current_password",
  "new_password",
  "username",
  "first_name",
  "last_name",
  "name",
  "slug",
  "settings",
  "redirect_uris",
  "allow_subpaths",
  "state",
  "role",
  "realm_id",
  "subject",
  "html",
  "text",
  "code",
  "recovery_code",
  "token",
  "session_id",
  "user_id",
  "intent",
  "client_id",
  "redirect_uri",
  "redir",
  "return_to",
  "invitation",
  "expires_in_days",
  "password_hash",
  "__proto__",
  "constructor",
] as const;

/** A JSON object of known and unknown keys with adversarial values. */
export const adversarialObject: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  fc.oneof({ arbitrary: fc.constantFrom(...FIELD_NAMES), weight: 4 }, { arbitrary: fc.string(), weight: 1 }),
  adversarialJson,
  { maxKeys: 5 },
);

/** A request body that is wrong in one way or another, with the content type it claims. */
export interface BadBody {
  contentType: string | null;
  body: string;
}

export const badBody: fc.Arbitrary<BadBody> = fc.oneof(
  // Well-formed JSON of the wrong shape or with wrong values.
  {
    arbitrary: fc.oneof(adversarialObject, adversarialJson).map((value) => ({
      contentType: "application/json",
      body: JSON.stringify(value) ?? "null",
    })),
    weight: 5,
  },
  // Not JSON at all, or cut short.
  {
    arbitrary: fc
      .oneof(
        fc.constantFrom("{", "[", '{"a":', "{'a':1}", "NaN", "\u0000", "\ufeff{}", '{"a":1}}', "{}{}", ""),
        fc.string({ unit: "binary", maxLength: 30 }),
      )
      .map((body) => ({ contentType: "application/json", body })),
    weight: 2,
  },
  // The wrong content type (or none) around any body.
  {
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          null,
          "",
          "text/plain",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x",
          "application/xml",
          "application/json; charset=utf-16",
          "application/jsonx",
          "text/csv",
        ),
        fc.oneof(
          adversarialObject.map((v) => JSON.stringify(v)),
          fc.string({ maxLength: 30 }),
        ),
      )
      .map(([contentType, body]) => ({ contentType, body })),
    weight: 2,
  },
  // Past the 64 KB body limit.
  {
    arbitrary: fc.constantFrom(
      { contentType: "application/json", body: JSON.stringify({ name: "x".repeat(70_000) }) },
      { contentType: "application/json", body: `[${"0,".repeat(40_000)}0]` },
    ),
    weight: 1,
  },
);

/** Characters that break storage or display when slipped into an otherwise valid string. */
const POISON = ["\u0000", "\ud800", "\u202e", "\u0007", "\r\n", "\uffff", "\u0000".repeat(3)];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

function pathsOf(value: Json, prefix: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [[...prefix, i], ...pathsOf(v, [...prefix, i])]);
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
  return [];
}

function edit(value: Json, path: Path, change: (old: Json) => Json | undefined): Json {
  const copy = structuredClone(value);
  const parent = path
    .slice(0, -1)
    .reduce<Json>((node, key) => (node as Record<string, Json>)[key] as Json, copy);
  const key = path.at(-1) as string | number;
  const container = parent as Record<string | number, Json>;
  const next = change(container[key] as Json);
  if (next === undefined) {
    if (Array.isArray(container)) container.splice(key as number, 1);
    else delete container[key];
  } else container[key] = next;
  return copy;
}

/**
 * A valid example with one thing wrong: a value replaced by an adversarial one, a NUL byte (or a
 * lone surrogate…) slipped into a string, a key removed or added. Unlike random objects, these get
 * past "unknown field" checks to the code that stores the value.
 */
export function mutated(example: Json): fc.Arbitrary<Json> {
  const paths = pathsOf(example);
  const stringPaths = paths.filter(
    (p) => typeof p.reduce<Json>((n, k) => (n as Record<string, Json>)[k] as Json, example) === "string",
  );
  const options: fc.Arbitrary<Json>[] = [
    fc.tuple(fc.string({ maxLength: 12 }), adversarialJson).map(([key, v]) => ({
      ...(example as Record<string, Json>),
      [key]: v as Json,
    })),
  ];
  if (paths.length) {
    options.push(
      fc
        .tuple(fc.constantFrom(...paths), adversarialJson)
        .map(([path, v]) => edit(example, path, () => v as Json)),
      fc.constantFrom(...paths).map((path) => edit(example, path, () => undefined)),
    );
  }
  if (stringPaths.length) {
    const poisoned = fc
      .tuple(fc.constantFrom(...stringPaths), fc.constantFrom(...POISON), fc.nat())
      .map(([path, poison, at]) =>
        edit(example, path, (old) => {
          const s = String(old);
          const i = at % (s.length + 1);
          return `${s.slice(0, i)}${poison}${s.slice(i)}`;
        }),
      );
    options.push(poisoned, poisoned);
  }
  return fc.oneof(...options);
}
