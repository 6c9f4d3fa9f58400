import { isDatabaseUnavailable } from "@/lib/db/errors";

/** Set by the portal's node:http layer on every request (scripts/request-failure-response.mjs). */
export const REQUEST_ID_HEADER = "x-gatehouse-request-id";

/** What a failed request deserves instead of Next's 500: a status and a catalogue code. */
export interface FailureAnswer {
  status: 400 | 413 | 503;
  code: "request.malformed" | "request.too_large" | "service.unavailable";
}

type Headers = Record<string, string | string[] | undefined>;
const layer = globalThis as typeof globalThis & {
  __gatehouseFailedRequest?: (id: string, answer: FailureAnswer) => void;
};

/**
 * The failures that are not bugs: the database cannot be reached (503, try again), or Next could
 * not read a form post at all, before any of our code ran: over the 64 KB action body limit (Next
 * throws its own 413 error, then answers 500), a multipart body that does not parse, action
 * arguments that are not what Next's client encodes (JSON that does not parse, references to
 * nothing). The last ones are recognised by where they were thrown: inside Next, during a POST.
 * Found by the form fuzz
 * (test/reliability/form-fuzz.test.ts). Anything else stays a 500.
 */
export function failureAnswer(error: unknown, request: { method?: string } = {}): FailureAnswer | null {
  if (isDatabaseUnavailable(error)) return { status: 503, code: "service.unavailable" };
  if (!(error instanceof Error)) return null;
  if ((error as { statusCode?: unknown }).statusCode === 413)
    return { status: 413, code: "request.too_large" };
  const unreadable =
    (error instanceof TypeError && error.message === "Failed to parse body as FormData.") ||
    (request.method === "POST" && thrownInsideNext(error));
  return unreadable ? { status: 400, code: "request.malformed" } : null;
}

/**
 * True when the error was thrown by Next's own runtime (its first frame that is not native code
 * is in next/dist), as when it decodes a post; an error thrown by the app's code starts in the
 * app's chunks. (An app bug that makes a Next API throw during a POST would read as a 400 too.)
 */
export function thrownInsideNext(error: Error): boolean {
  const frames = (error.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line));
  const first = frames.find((f) => !/\(<anonymous>\)|\(node:|at node:/.test(f));
  return first?.includes("/node_modules/next/dist/") ?? false;
}

/**
 * Called for every error Next.js catches while handling a request (instrumentation.ts). For the
 * failures above, tells the node:http layer, which answers that request with the right status and
 * a clear page instead of Next's 500. Synchronous on purpose: Next does not wait for this hook
 * before it writes the error response.
 */
export function reportRequestError(
  error: unknown,
  headers: Headers,
  request: { method?: string } = {},
): FailureAnswer | null {
  const answer = failureAnswer(error, request);
  const id = headers[REQUEST_ID_HEADER];
  if (answer && typeof id === "string") layer.__gatehouseFailedRequest?.(id, answer);
  console.error("[debug]", request.method, answer, error instanceof Error ? error.stack : error);
  return answer;
}
