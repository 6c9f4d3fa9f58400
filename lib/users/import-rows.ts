import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type CsvError, type Options, type Parser, parse } from "csv-parse";
import { AppError, type FieldError } from "@/lib/errors";

/** One record of an import file: the user input to create, or why the record cannot be read. */
export type ImportRow = { row: number; input: unknown } | { row: number; error: AppError };

/** The request body as it arrives, refused (413) once it grows past `limit` bytes. */
export async function* bytesWithin(body: ReadableStream<Uint8Array>, limit: number) {
  const reader = body.getReader();
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      size += value.byteLength;
      if (size > limit) throw new AppError("request.too_large");
      yield value;
    }
  } finally {
    // Stops the upload when the import ends early (a limit, a client that went away).
    await reader.cancel().catch(() => {});
  }
}

/**
 * JSON lines: one object per line, split at byte level so that memory stays within one line of at
 * most `maxLineBytes` (a longer line is skipped to its end and reported). Blank lines are not rows.
 */
export async function* ndjsonRows(
  chunks: AsyncIterable<Uint8Array>,
  maxLineBytes: number,
): AsyncGenerator<ImportRow> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let parts: Buffer[] = [];
  let size = 0;
  let oversized = false;
  let row = 0;

  function endLine(): ImportRow | null {
    const bytes = Buffer.concat(parts);
    const wasOversized = oversized;
    parts = [];
    size = 0;
    oversized = false;
    if (wasOversized) return { row: ++row, error: rowTooLong(maxLineBytes) };
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      return { row: ++row, error: new AppError("request.malformed_json") };
    }
    if (text.trim() === "") return null;
    row++;
    try {
      return { row, input: JSON.parse(text) };
    } catch {
      return { row, error: new AppError("request.malformed_json") };
    }
  }

  for await (const chunk of chunks) {
    const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (;;) {
      const newline = buffer.indexOf(0x0a, start);
      const piece = buffer.subarray(start, newline === -1 ? buffer.length : newline);
      if (!oversized) {
        size += piece.length;
        if (size > maxLineBytes) {
          oversized = true;
          parts = [];
        } else if (piece.length > 0) {
          // A copy, so that the line does not pin the whole chunk it came in.
          parts.push(Buffer.from(piece));
        }
      }
      if (newline === -1) break;
      const done = endLine();
      if (done) yield done;
      start = newline + 1;
    }
  }
  const last = endLine();
  if (last) yield last;
}

function rowTooLong(max: number): AppError {
  return new AppError("import.row_too_long", { params: { max } });
}

/**
 * CSV with a header row naming the columns (any subset of `columns`, `email` required). Empty
 * cells are left out; `true`/`false` become booleans in `booleanColumns`. Rows are parsed with
 * csv-parse as the bytes arrive. A record csv-parse cannot read (a stray quote, over
 * `maxRecordBytes`) is reported in its place and skipped, as csv-parse resumes at the next line.
 */
export async function* csvRows(
  chunks: AsyncIterable<Uint8Array>,
  options: { maxRecordBytes: number; columns: readonly string[]; booleanColumns: readonly string[] },
): AsyncGenerator<ImportRow> {
  // Skipped records, with how many records csv-parse had produced when it skipped each.
  const skipped: Array<{ after: number; error: AppError }> = [];
  const parserOptions: Options = {
    bom: true,
    // Files edited on several systems mix line endings; csv-parse would otherwise guess one.
    record_delimiter: ["\r\n", "\n"],
    skip_empty_lines: true,
    relax_column_count: true,
    max_record_size: options.maxRecordBytes,
    info: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      skipped.push({ after: parser.info.records, error: csvRecordError(error, options) });
      return undefined;
    },
  };
  const parser: Parser = parse(parserOptions);
  // Errors of the source (the body limit) reach the loop below through the parser.
  const piping = pipeline(Readable.from(chunks, { objectMode: false }), parser).catch(() => {});
  let header: string[] | null = null;
  let row = 0;
  function* skippedBefore(records: number): Generator<ImportRow> {
    while (skipped.length && (skipped[0]?.after ?? 0) < records) {
      const { error } = skipped.shift() as { error: AppError };
      if (!header) throw new AppError("import.csv_malformed", { params: { line: 1 } });
      yield { row: ++row, error };
    }
  }
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number; records: number };
    }>) {
      yield* skippedBefore(info.records);
      if (!header) {
        header = checkedHeader(record, options.columns);
        continue;
      }
      row++;
      if (record.length !== header.length) {
        const params = { count: record.length, expected: header.length, line: info.lines };
        yield { row, error: new AppError("import.csv_columns", { params }) };
        continue;
      }
      yield { row, input: userFromCells(header, record, options.booleanColumns) };
    }
    yield* skippedBefore(Number.POSITIVE_INFINITY);
  } finally {
    // Not awaited: the source may be waiting for the client's next bytes; it stops at the next one.
    parser.destroy();
    void piping;
  }
}

function csvRecordError(error: CsvError | undefined, options: { maxRecordBytes: number }): AppError {
  if (error?.code === "CSV_MAX_RECORD_SIZE")
    return new AppError("import.row_too_long", { params: { max: options.maxRecordBytes } });
  const line = typeof error?.lines === "number" ? error.lines : 0;
  return new AppError("import.csv_malformed", { params: { line } });
}

function checkedHeader(record: string[], columns: readonly string[]): string[] {
  const names = record.map((name) => name.trim());
  const fields: FieldError[] = [];
  names.forEach((name, i) => {
    const field = `columns.${name.slice(0, 64) || i + 1}`;
    if (!columns.includes(name)) fields.push({ field, code: "field.unknown" });
    else if (names.indexOf(name) !== i) fields.push({ field, code: "list.duplicate" });
  });
  if (!names.includes("email")) fields.push({ field: "columns.email", code: "field.required" });
  if (fields.length) throw new AppError("validation.failed", { fields });
  return names;
}

function userFromCells(header: string[], cells: string[], booleanColumns: readonly string[]) {
  const user: Record<string, unknown> = {};
  header.forEach((name, i) => {
    const cell = cells[i] ?? "";
    if (cell === "") return;
    const lower = cell.trim().toLowerCase();
    user[name] =
      booleanColumns.includes(name) && (lower === "true" || lower === "false") ? lower === "true" : cell;
  });
  return user;
}
