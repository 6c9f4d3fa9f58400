import type { ImportResult } from "@/lib/users";
import { errorBody } from "./handler";

function line(result: ImportResult): string {
  if (!("error" in result) || !result.error) return `${JSON.stringify(result)}\n`;
  return `${JSON.stringify({ ...result, error: errorBody(result.error) })}\n`;
}

/**
 * The streamed answer of a bulk import: one JSON line per row as soon as it is done, then a
 * summary line. Pull-based, so a slow reader slows the import instead of filling memory, and a
 * client that hangs up stops it.
 */
export function importResponse(results: AsyncGenerator<ImportResult>): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await results.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(line(next.value)));
    },
    async cancel() {
      await results.return(undefined);
    },
  });
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      "cache-control": "no-store",
      // This route bypasses proxy.ts (see its matcher), which sets these for the rest of the API.
      "x-content-type-options": "nosniff",
    },
  });
}
