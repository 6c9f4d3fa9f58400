import { AppError, isAppError, nulCharacterError } from "@/lib/errors";
import type { Events, RequestContext } from "@/lib/events";
import type { Realm } from "@/lib/realms";
import { bytesWithin, csvRows, type ImportRow, ndjsonRows } from "./import-rows";
import { createUserInputSchema, type Users } from "./users";

/**
 * Bulk import limits (docs/import.md). Memory stays within one record plus the parser's buffers,
 * whatever the file size: the body is read as it arrives and each row is written back as it is done.
 */
export const importLimits = {
  /** The whole body; far above the 64 KB of ordinary JSON requests. */
  maxBodyBytes: 32 * 1024 * 1024,
  /** One JSON line or CSV record. */
  maxRecordBytes: 16 * 1024,
  /** Rows per request: the rest of a longer file is refused, the rows before it are imported. */
  maxRows: 10_000,
} as const;

export type ImportFormat = "ndjson" | "csv";

/** A line of the streamed answer: one per row, then a summary. */
export type ImportResult =
  | { row: number; status: "created"; id: string }
  | { row: number; status: "error"; error: AppError }
  | { status: "done" | "aborted"; created: number; failed: number; error?: AppError };

export interface ImportRequest {
  contentType: string | null;
  contentLength: string | null;
  body: ReadableStream<Uint8Array> | null;
  /** Who imports, for the `user.created` events. */
  via: Record<string, string>;
  context: RequestContext;
}

const MEDIA_TYPES: Record<string, ImportFormat> = { "application/x-ndjson": "ndjson", "text/csv": "csv" };

/** 415 unless the body is JSON lines or CSV (UTF-8; parameters such as charset are ignored). */
export function importFormat(contentType: string | null): ImportFormat {
  const media = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const format = MEDIA_TYPES[media];
  if (!format) throw new AppError("request.unsupported_media_type");
  return format;
}

export type ImportLimits = { [K in keyof typeof importLimits]: number };

export function createUserImport({
  users,
  events,
  limits = importLimits,
}: {
  users: Users;
  events: Events;
  /** Tests pass small ones. */
  limits?: ImportLimits;
}) {
  /** Creates users one row at a time, each in its own transaction, and yields each result. */
  async function* run(
    realm: Realm,
    request: ImportRequest,
    first: IteratorResult<ImportRow>,
    rows: AsyncGenerator<ImportRow>,
  ): AsyncGenerator<ImportResult> {
    let created = 0;
    let failed = 0;
    try {
      for (let next = first; !next.done; next = await rows.next()) {
        const item = next.value;
        if (item.row > limits.maxRows) {
          const error = new AppError("import.too_many_rows", { params: { max: limits.maxRows } });
          yield { status: "aborted", created, failed, error };
          return;
        }
        if ("error" in item) {
          failed++;
          yield { row: item.row, status: "error", error: item.error };
          continue;
        }
        const nul = nulCharacterError(item.input);
        if (nul) {
          failed++;
          yield { row: item.row, status: "error", error: nul };
          continue;
        }
        try {
          const user = await users.create(realm, item.input);
          created++;
          await events.record({
            realmId: realm.id,
            type: "user.created",
            userId: user.id,
            data: { ...request.via, via: "import", row: item.row },
            context: request.context,
          });
          yield { row: item.row, status: "created", id: user.id };
        } catch (error) {
          if (!isAppError(error)) throw error;
          failed++;
          yield { row: item.row, status: "error", error };
        }
      }
      yield { status: "done", created, failed };
    } catch (error) {
      // The answer is already under way, so even a failure ends with a summary line.
      if (!isAppError(error)) console.error(`[import] realm ${realm.id} stopped`, error);
      yield {
        status: "aborted",
        created,
        failed,
        error: isAppError(error) ? error : new AppError("internal"),
      };
    } finally {
      await rows.return(undefined);
    }
  }

  return {
    /**
     * Checks the request (415, 413 on a declared size, 422 on a bad CSV header), then returns the
     * results as they come. The first record is read here, so that a broken header is an ordinary
     * error answer rather than a line in a stream that already said 200.
     */
    async start(realm: Realm, request: ImportRequest): Promise<AsyncGenerator<ImportResult>> {
      const format = importFormat(request.contentType);
      if (Number(request.contentLength ?? "0") > limits.maxBodyBytes) throw new AppError("request.too_large");
      const chunks = bytesWithin(request.body ?? new ReadableStream(), limits.maxBodyBytes);
      const rows =
        format === "ndjson"
          ? ndjsonRows(chunks, limits.maxRecordBytes)
          : csvRows(chunks, { maxRecordBytes: limits.maxRecordBytes, ...csvColumns(realm) });
      const first = await rows.next();
      return run(realm, request, first, rows);
    },
  };
}

/** The CSV columns are the fields of user create; boolean ones read `true`/`false`. */
function csvColumns(realm: Realm) {
  const shape = createUserInputSchema(realm).shape;
  const columns = Object.keys(shape);
  const booleanColumns = columns.filter((name) => shape[name as keyof typeof shape].safeParse(true).success);
  return { columns, booleanColumns };
}

export type UserImport = ReturnType<typeof createUserImport>;
