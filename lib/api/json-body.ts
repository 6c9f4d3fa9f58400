import { AppError, nulCharacterError } from "@/lib/errors";

export const MAX_JSON_BYTES = 64 * 1024;

/**
 * Reads a JSON body: 415 unless JSON, 413 past the limit (declared or actual), 400 if unparsable,
 * 422 if a string in it holds a NUL character (which PostgreSQL cannot store).
 */
export async function readJsonBody(request: Request, limit = MAX_JSON_BYTES): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type))
    throw new AppError("request.unsupported_media_type");
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw new AppError("request.too_large");
  if (!request.body) throw new AppError("request.malformed_json");
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new AppError("request.too_large");
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("request.malformed_json");
  }
  const nul = nulCharacterError(body);
  if (nul) throw nul;
  return body;
}
