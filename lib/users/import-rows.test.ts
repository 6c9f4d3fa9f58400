import { describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors";
import { bytesWithin, csvRows, type ImportRow, ndjsonRows } from "./import-rows";

const encoder = new TextEncoder();

/** Bytes in chunks of `size`, so that lines and characters are cut at every possible place. */
async function* chunked(text: string, size: number) {
  const bytes = encoder.encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect(rows: AsyncIterable<ImportRow>) {
  const out: Array<{ row: number; input?: unknown; code?: string; params?: unknown }> = [];
  for await (const r of rows) {
    out.push("error" in r ? { row: r.row, code: r.error.code, params: r.error.params } : r);
  }
  return out;
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return { code: error.code, fields: error.fields, params: error.params };
    throw error;
  }
  throw new Error("expected a failure");
}

describe("ndjsonRows", () => {
  const text = '{"email":"a@x.io"}\r\n\n  \n{"email":"é🔑@x.io"}\nnot json\n[1]\n{"email":"last@x.io"}';

  it.each([1, 2, 3, 7, 1024])("reads the same rows whatever the chunk size (%i bytes)", async (size) => {
    expect(await collect(ndjsonRows(chunked(text, size), 1024))).toEqual([
      { row: 1, input: { email: "a@x.io" } },
      { row: 2, input: { email: "é🔑@x.io" } },
      { row: 3, code: "request.malformed_json", params: undefined },
      { row: 4, input: [1] },
      { row: 5, input: { email: "last@x.io" } },
    ]);
  });

  it("reports a line over the limit as its own row and goes on with the next", async () => {
    const long = `{"email":"${"x".repeat(100)}@x.io"}`;
    const rows = await collect(ndjsonRows(chunked(`${long}\n{"email":"b@x.io"}\n${long}`, 16), 64));
    expect(rows).toEqual([
      { row: 1, code: "import.row_too_long", params: { max: 64 } },
      { row: 2, input: { email: "b@x.io" } },
      { row: 3, code: "import.row_too_long", params: { max: 64 } },
    ]);
  });

  it("counts the limit in bytes, not characters", async () => {
    const line = `"${"é".repeat(20)}"`; // 22 characters, 42 bytes
    expect(await collect(ndjsonRows(chunked(line, 5), 42))).toEqual([{ row: 1, input: "é".repeat(20) }]);
    expect((await collect(ndjsonRows(chunked(line, 5), 41)))[0]?.code).toBe("import.row_too_long");
  });

  it("refuses invalid UTF-8 as malformed and skips a byte-order mark", async () => {
    async function* bytes() {
      yield new Uint8Array([0xef, 0xbb, 0xbf, 0x31, 0x0a, 0x22, 0xff, 0x22, 0x0a]);
    }
    expect(await collect(ndjsonRows(bytes(), 100))).toEqual([
      { row: 1, input: 1 },
      { row: 2, code: "request.malformed_json", params: undefined },
    ]);
  });
});

describe("csvRows", () => {
  const options = {
    maxRecordBytes: 1024,
    columns: ["email", "password_hash", "first_name", "email_verified"],
    booleanColumns: ["email_verified"],
  };

  it("maps cells to fields by the header, leaves empty cells out and reads booleans", async () => {
    const csv =
      '\ufeffemail,first_name,email_verified\r\na@x.io,"Ann, ""the"" first",TRUE\r\n\r\nb@x.io,,false\nc@x.io,"two\nlines",yes\n';
    for (const size of [1, 3, 1000]) {
      expect(await collect(csvRows(chunked(csv, size), options))).toEqual([
        { row: 1, input: { email: "a@x.io", first_name: 'Ann, "the" first', email_verified: true } },
        { row: 2, input: { email: "b@x.io", email_verified: false } },
        { row: 3, input: { email: "c@x.io", first_name: "two\nlines", email_verified: "yes" } },
      ]);
    }
  });

  it("reports a row with the wrong number of cells and goes on", async () => {
    const csv = "email,first_name\na@x.io\nb@x.io,Bo,extra\nc@x.io,Cy\n";
    expect(await collect(csvRows(chunked(csv, 4), options))).toEqual([
      { row: 1, code: "import.csv_columns", params: { count: 1, expected: 2, line: 2 } },
      { row: 2, code: "import.csv_columns", params: { count: 3, expected: 2, line: 3 } },
      { row: 3, input: { email: "c@x.io", first_name: "Cy" } },
    ]);
  });

  it("refuses a header with unknown or repeated columns or without email, before any row", async () => {
    const rows = csvRows(chunked("first_name,role,first_name\nAnn,admin,Ann\n", 5), options);
    expect(await failure(rows.next())).toMatchObject({
      code: "validation.failed",
      fields: [
        { field: "columns.role", code: "field.unknown" },
        { field: "columns.first_name", code: "list.duplicate" },
        { field: "columns.email", code: "field.required" },
      ],
    });
  });

  it("reports a record csv-parse cannot read in its place and goes on", async () => {
    const rows = await collect(csvRows(chunked('email\na@x.io\n"b@x.io"x\nc@x.io\n', 3), options));
    expect(rows.slice(0, 2)).toEqual([
      { row: 1, input: { email: "a@x.io" } },
      { row: 2, code: "import.csv_malformed", params: { line: 3 } },
    ]);
    // How far a stray quote reaches is csv-parse's call; nothing after it goes unreported.
    expect(rows.at(-1)).toMatchObject({ row: 3 });
  });

  it("reports a record over the size limit as too long", async () => {
    const rows = await collect(csvRows(chunked(`email\n"${"x".repeat(2000)}"\nb@x.io\n`, 100), options));
    expect(rows[0]).toEqual({ row: 1, code: "import.row_too_long", params: { max: 1024 } });
  });

  it("reports an unclosed quote at the end of the file", async () => {
    const rows = await collect(csvRows(chunked('email\na@x.io\n"b@x.io\nc@x.io\n', 4), options));
    expect(rows).toEqual([
      { row: 1, input: { email: "a@x.io" } },
      { row: 2, code: "import.csv_malformed", params: { line: 4 } },
    ]);
  });
});

describe("bytesWithin", () => {
  function stream(chunks: number[]) {
    return new ReadableStream<Uint8Array>({
      start(controller) {
        for (const n of chunks) controller.enqueue(new Uint8Array(n));
        controller.close();
      },
    });
  }

  it("passes a body up to the limit and refuses one past it with 413", async () => {
    let total = 0;
    for await (const chunk of bytesWithin(stream([40, 60]), 100)) total += chunk.byteLength;
    expect(total).toBe(100);
    const iterator = bytesWithin(stream([40, 60, 1]), 100);
    await iterator.next();
    await iterator.next();
    expect(await failure(iterator.next())).toMatchObject({ code: "request.too_large" });
  });

  it("cancels the body when the reader stops early", async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(10));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const _ of bytesWithin(body, 1_000_000)) break;
    expect(cancelled).toBe(true);
  });
});
