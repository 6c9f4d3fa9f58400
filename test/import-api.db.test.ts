import bcrypt from "bcrypt";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as importRoute from "@/app/api/v1/realms/[realm]/users/import/route";
import { tables } from "@/lib/db";
import type { Realm } from "@/lib/realms";
import type { Services } from "@/lib/services";
import { createUserImport } from "@/lib/users";
import { testRealm, testServices } from "@/test/db";

// The route module reads the process-wide services; this file hands it the test database's.
const holder = globalThis as typeof globalThis & { __gatehouseServices?: Promise<Services> };
const ADMIN = "Bearer test-bootstrap-key-0123456789abcdef";
const ctx = { ip: "198.51.100.4", userAgent: "vitest" };

const ARGON2 = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
const DJANGO = "pbkdf2_sha256$12000$Xs2Qn8UaTfRNkDMZ2a8gYk$VSo11V0WmLqOtHOzETG9vPrDt4InNXVWWwwxKL1Vx7A=";

let gh: Services;
beforeAll(async () => {
  holder.__gatehouseServices = testServices();
  gh = await holder.__gatehouseServices;
});

type Line = Record<string, unknown> & {
  row?: number;
  status: string;
  error?: { code: string; fields?: unknown[] };
};

async function post(
  realm: string,
  body: BodyInit,
  headers: Record<string, string> = { "content-type": "application/x-ndjson" },
) {
  const request = new Request(`http://gatehouse.test/api/v1/realms/${realm}/users/import`, {
    method: "POST",
    headers: { authorization: ADMIN, ...headers },
    body,
    duplex: "half",
  } as RequestInit);
  return importRoute.POST(request, { params: Promise.resolve({ realm }) });
}

async function lines(response: Response): Promise<Line[]> {
  return (await response.text())
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

async function emails(realm: Realm) {
  const rows = await gh.db
    .select({ email: tables.users.email })
    .from(tables.users)
    .where(eq(tables.users.realmId, realm.id))
    .orderBy(tables.users.email);
  return rows.map((r) => r.email);
}

async function login(realm: Realm, email: string, password: string) {
  return gh.flows.loginWithPassword(realm, await gh.flows.entry(realm, {}), { email, password }, ctx);
}

describe("POST /api/v1/realms/{realm}/users/import", () => {
  it("a row with a NUL character fails alone, in JSON lines and in CSV (it aborted the import with a 500-class error: found by the API fuzz)", async () => {
    const { realm } = await testRealm(gh);
    const ndjson = [
      JSON.stringify({ email: "nul@example.com", first_name: "A\u0000da" }),
      JSON.stringify({ email: "fine@example.com" }),
    ].join("\n");
    const fromLines = await lines(await post(realm.slug, ndjson));
    expect(fromLines.map((l) => [l.row, l.status, l.error?.code])).toEqual([
      [1, "error", "validation.failed"],
      [2, "created", undefined],
      [undefined, "done", undefined],
    ]);
    const csv = "email,last_name\nnul2@example.com,Love\u0000lace\nfine2@example.com,Lovelace\n";
    const fromCsv = await lines(await post(realm.slug, csv, { "content-type": "text/csv" }));
    expect(fromCsv.map((l) => [l.row, l.status])).toEqual([
      [1, "error"],
      [2, "created"],
      [undefined, "done"],
    ]);
    expect(await emails(realm)).toEqual(["fine2@example.com", "fine@example.com"]);
  });

  it("imports JSON lines row by row: good rows are created, bad rows create nothing", async () => {
    const { realm } = await testRealm(gh);
    const body = [
      JSON.stringify({ email: "Argon@Example.com", password_hash: ARGON2, first_name: "Ann" }),
      JSON.stringify({ email: "django@example.com", password_hash: DJANGO, email_verified: true }),
      JSON.stringify({ email: "plain@example.com", password: "a-long-enough-password" }),
      JSON.stringify({ email: "nopass@example.com" }),
      "",
      JSON.stringify({ email: "bad-hash@example.com", password_hash: "$1$saltsalt$2vnaRpHa6Jxjz5n83ok8Z0" }),
      JSON.stringify({ email: "bomb@example.com", password_hash: DJANGO.replace("$12000$", "$90000000$") }),
      JSON.stringify({
        email: "both@example.com",
        password: "a-long-enough-password",
        password_hash: ARGON2,
      }),
      JSON.stringify({ email: "argon@EXAMPLE.com", password_hash: ARGON2 }),
      JSON.stringify({ email: "role@example.com", role: "admin" }),
      "{not json",
      JSON.stringify({ email: "not-an-email" }),
      JSON.stringify({ email: "short@example.com", password: "short" }),
    ].join("\n");
    const response = await post(realm.slug, body);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    const out = await lines(response);

    expect(out.slice(0, 4)).toEqual(
      [1, 2, 3, 4].map((row) => ({ row, status: "created", id: expect.stringMatching(/^usr_/) })),
    );
    const errors = out.slice(4, -1).map((l) => [l.row, l.status, l.error?.code, l.error?.fields]);
    expect(errors).toEqual([
      [
        5,
        "error",
        "validation.failed",
        [expect.objectContaining({ field: "password_hash", code: "password.hash_unsupported" })],
      ],
      [
        6,
        "error",
        "validation.failed",
        [expect.objectContaining({ field: "password_hash", code: "password.hash_cost_out_of_bounds" })],
      ],
      [
        7,
        "error",
        "validation.failed",
        [expect.objectContaining({ field: "password_hash", code: "password.both_given" })],
      ],
      [
        8,
        "error",
        "user.email_taken",
        [expect.objectContaining({ field: "email", code: "user.email_taken" })],
      ],
      [9, "error", "validation.failed", [expect.objectContaining({ field: "role", code: "field.unknown" })]],
      [10, "error", "request.malformed_json", undefined],
      [
        11,
        "error",
        "validation.failed",
        [expect.objectContaining({ field: "email", code: "email.invalid" })],
      ],
      [
        12,
        "error",
        "validation.failed",
        // Plain passwords meet the realm's policy, every rule at once (imported hashes cannot).
        [
          expect.objectContaining({ field: "password", code: "password.too_short" }),
          expect.objectContaining({ field: "password", code: "password.too_common" }),
          expect.objectContaining({ field: "password", code: "password.contains_identifier" }),
        ],
      ],
    ]);
    expect(out.at(-1)).toEqual({ status: "done", created: 4, failed: 8 });
    for (const l of out.filter((l) => l.error))
      expect(l.error).toMatchObject({ message: expect.any(String) });

    expect(await emails(realm)).toEqual([
      "argon@example.com",
      "django@example.com",
      "nopass@example.com",
      "plain@example.com",
    ]);
    await login(realm, "argon@example.com", "password");
    await login(realm, "django@example.com", "correct horse");
    await login(realm, "plain@example.com", "a-long-enough-password");

    const events = await gh.db
      .select()
      .from(tables.events)
      .where(and(eq(tables.events.realmId, realm.id), eq(tables.events.type, "user.created")));
    expect(events).toHaveLength(4);
    expect(events[0]?.data).toMatchObject({ via: "import", key: "installation" });
  });

  it("imports CSV with a header row, quoted cells and per-row results", async () => {
    const { realm } = await testRealm(gh);
    const csv = [
      "email,password_hash,first_name,last_name,email_verified",
      // An argon2 hash holds commas: CSV needs it quoted.
      `csv1@example.com,"${ARGON2}","Lee, Ann","O""Brien",true`,
      `csv2@example.com,${DJANGO},,,`,
      "csv3@example.com,,Bo,,FALSE",
      "csv4@example.com,not-a-hash,,,",
      "csv5@example.com,,,,maybe",
      "csv6@example.com,,too,few",
      `CSV1@example.com,,,,`,
    ].join("\r\n");
    const out = await lines(await post(realm.slug, csv, { "content-type": "text/csv; charset=utf-8" }));
    expect(out.map((l) => [l.row, l.status, l.error?.code])).toEqual([
      [1, "created", undefined],
      [2, "created", undefined],
      [3, "created", undefined],
      [4, "error", "validation.failed"],
      [5, "error", "validation.failed"],
      [6, "error", "import.csv_columns"],
      [7, "error", "user.email_taken"],
      [undefined, "done", undefined],
    ]);
    expect(out.at(-1)).toEqual({ status: "done", created: 3, failed: 4 });
    expect(out[4]?.error?.fields).toEqual([
      expect.objectContaining({ field: "email_verified", code: "field.invalid_type" }),
    ]);

    const [csv1] = await gh.db
      .select()
      .from(tables.users)
      .where(and(eq(tables.users.realmId, realm.id), eq(tables.users.email, "csv1@example.com")));
    expect(csv1).toMatchObject({ firstName: "Lee, Ann", lastName: 'O"Brien', emailVerified: true });
    expect(await emails(realm)).toEqual(["csv1@example.com", "csv2@example.com", "csv3@example.com"]);
    await login(realm, "csv1@example.com", "password");
  });

  it("refuses a CSV header it cannot map with 422 before creating anyone", async () => {
    const { realm } = await testRealm(gh);
    const response = await post(realm.slug, "mail,role\na@example.com,admin\n", {
      "content-type": "text/csv",
    });
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.error.fields.map((f: { field: string; code: string }) => `${f.field}:${f.code}`)).toEqual([
      "columns.mail:field.unknown",
      "columns.role:field.unknown",
      "columns.email:field.required",
    ]);
    expect(await emails(realm)).toEqual([]);
  });

  it("answers 415 for another content type, 404 for an unknown realm, 401 for a bad key, 413 for a declared size over the cap", async () => {
    const { realm } = await testRealm(gh);
    const json = await post(realm.slug, '{"email":"a@example.com"}', { "content-type": "application/json" });
    expect(json.status).toBe(415);
    expect((await json.json()).error.code).toBe("request.unsupported_media_type");
    const unknown = await post("no-such-realm", '{"email":"a@example.com"}');
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe("realm.not_found");
    const badKey = await post(realm.slug, '{"email":"a@example.com"}', {
      "content-type": "application/x-ndjson",
      authorization: "Bearer ks_wrong",
    });
    expect(badKey.status).toBe(401);
    const huge = await post(realm.slug, '{"email":"a@example.com"}', {
      "content-type": "application/x-ndjson",
      "content-length": String(64 * 1024 * 1024),
    });
    expect(huge.status).toBe(413);
    expect(await emails(realm)).toEqual([]);
  });

  it("stops at the row limit and at the body cap with an aborted summary; rows before stay imported", async () => {
    const { realm } = await testRealm(gh);
    const small = createUserImport({
      users: gh.users,
      events: gh.events,
      limits: { maxRows: 2, maxBodyBytes: 1024 * 1024, maxRecordBytes: 1024 },
    });
    const request = (text: string) => ({
      contentType: "application/x-ndjson",
      contentLength: null,
      // One line per chunk, as a slow client would send them.
      body: new ReadableStream<Uint8Array>({
        start(controller) {
          for (const l of text.split("\n")) controller.enqueue(new TextEncoder().encode(`${l}\n`));
          controller.close();
        },
      }),
      via: { key: "test" },
      context: ctx,
    });
    const rows = [1, 2, 3, 4].map((n) => JSON.stringify({ email: `limit${n}@example.com` })).join("\n");
    const results = [];
    for await (const r of await small.start(realm, request(rows))) results.push(r);
    expect(results.map((r) => ("row" in r ? r.status : `${r.status}:${r.error?.code}`))).toEqual([
      "created",
      "created",
      "aborted:import.too_many_rows",
    ]);
    expect(results.at(-1)).toMatchObject({ created: 2, failed: 0 });

    const capped = createUserImport({
      users: gh.users,
      events: gh.events,
      limits: { maxRows: 100, maxBodyBytes: 100, maxRecordBytes: 1024 },
    });
    const big = [5, 6, 7, 8].map((n) => JSON.stringify({ email: `cap${n}@example.com` })).join("\n");
    const capResults = [];
    for await (const r of await capped.start(realm, request(big))) capResults.push(r);
    expect(capResults.at(-1)).toMatchObject({ status: "aborted", error: { code: "request.too_large" } });
    expect(capResults.filter((r) => "row" in r && r.status === "created").length).toBeGreaterThan(0);
    expect((await emails(realm)).filter((e) => e.startsWith("cap")).length).toBe(
      capResults.filter((r) => "row" in r && r.status === "created").length,
    );
  });

  it("streams a 2,000-row import: answers while the file is still being sent, with bounded buffering", async () => {
    const { realm } = await testRealm(gh);
    const hashes = await Promise.all([0, 1, 2, 3].map((n) => bcrypt.hash(`password-${n}`, 4)));
    const total = 2000;
    let produced = 0;
    const encoder = new TextEncoder();
    // The file is made as it is read: the test never holds it either.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (produced === total) return controller.close();
        produced++;
        const line = { email: `bulk${produced}@example.com`, password_hash: hashes[produced % 4] };
        controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
      },
    });
    const started = performance.now();
    const response = await post(realm.slug, body);
    expect(response.status).toBe(200);
    const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
    if (!reader) throw new Error("no body");
    let buffered = "";
    let seen = 0;
    let maxAhead = 0;
    let summary: Line | null = null;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffered += value;
      let newline = buffered.indexOf("\n");
      while (newline !== -1) {
        const parsed = JSON.parse(buffered.slice(0, newline)) as Line;
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf("\n");
        if (parsed.row === undefined) {
          summary = parsed;
          continue;
        }
        seen++;
        expect(parsed).toMatchObject({ row: seen, status: "created" });
        // How far the reading of the file runs ahead of the answer: a few chunks, not the file.
        maxAhead = Math.max(maxAhead, produced - seen);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    console.info(
      `[import] ${total} rows in ${seconds.toFixed(1)} s, reading ran at most ${maxAhead} rows ahead`,
    );
    expect(summary).toEqual({ status: "done", created: total, failed: 0 });
    expect(maxAhead).toBeLessThan(100);
    expect(await gh.db.$count(tables.users, eq(tables.users.realmId, realm.id))).toBe(total);
    await login(realm, "bulk1999@example.com", "password-3");
  }, 180_000);
});
