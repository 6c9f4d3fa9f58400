import { describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors";
import { MAX_JSON_BYTES, readJsonBody } from "./json-body";

const URL_ = "https://login.example.com/api/v1/users";

function post(
  body: BodyInit | null,
  headers: Record<string, string> = { "content-type": "application/json" },
) {
  return new Request(URL_, { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

/** A body streamed in chunks, so the request carries no content-length. */
function streamed(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(encoder.encode(chunks[i++]));
      else controller.close();
    },
  });
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; status: number }> {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return { code: error.code, status: error.status };
    throw error;
  }
  throw new Error("expected readJsonBody to fail");
}

describe("readJsonBody", () => {
  it("parses a JSON body", async () => {
    await expect(readJsonBody(post('{"email":"a@b.co","n":[1,2]}'))).resolves.toEqual({
      email: "a@b.co",
      n: [1, 2],
    });
  });

  it("accepts JSON media types with parameters and +json suffixes", async () => {
    await expect(
      readJsonBody(post("1", { "content-type": "application/json; charset=utf-8" })),
    ).resolves.toBe(1);
    await expect(readJsonBody(post("[]", { "content-type": "Application/JSON" }))).resolves.toEqual([]);
    await expect(
      readJsonBody(post("{}", { "content-type": "application/merge-patch+json" })),
    ).resolves.toEqual({});
  });

  it.each([
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/jsonp",
    "text/json",
    "",
  ])("answers 415 for content type %j", async (type) => {
    const request = type ? post("{}", { "content-type": type }) : post("{}", {});
    // Without an explicit header a string body gets text/plain from the Request constructor.
    expect(await failure(readJsonBody(request))).toEqual({
      code: "request.unsupported_media_type",
      status: 415,
    });
  });

  it("answers 413 for a declared size over the limit, before reading", async () => {
    const request = post(streamed(["{}"]), {
      "content-type": "application/json",
      "content-length": String(MAX_JSON_BYTES + 1),
    });
    expect(await failure(readJsonBody(request))).toEqual({ code: "request.too_large", status: 413 });
    expect(request.bodyUsed).toBe(false);
  });

  it("answers 413 for a streamed body without content-length that grows past the limit", async () => {
    const chunk = `"${"x".repeat(1000)}",`;
    const chunks = ["[", ...Array.from({ length: 100 }, () => chunk), "0]"];
    const request = post(streamed(chunks));
    expect(request.headers.get("content-length")).toBeNull();
    expect(await failure(readJsonBody(request, 10_000))).toEqual({ code: "request.too_large", status: 413 });
  });

  it("answers 413 when the body is larger than a (false) declared length", async () => {
    const request = post(streamed(["[", "1,".repeat(200), "1]"]), {
      "content-type": "application/json",
      "content-length": "10",
    });
    expect(await failure(readJsonBody(request, 100))).toEqual({ code: "request.too_large", status: 413 });
  });

  it("accepts a body of exactly the limit", async () => {
    const body = `"${"x".repeat(98)}"`;
    expect(body).toHaveLength(100);
    await expect(
      readJsonBody(post(streamed([body.slice(0, 50), body.slice(50)])), 100),
    ).resolves.toHaveLength(98);
  });

  it("counts bytes, not characters", async () => {
    const body = `"${"é".repeat(50)}"`; // 52 characters, 102 bytes
    expect(await failure(readJsonBody(post(body), 100))).toEqual({ code: "request.too_large", status: 413 });
  });

  it.each(["{", "{'a':1}", "undefined", "", '{"a":1}garbage'])(
    "answers 400 for malformed body %j",
    async (body) => {
      expect(await failure(readJsonBody(post(body)))).toEqual({
        code: "request.malformed_json",
        status: 400,
      });
    },
  );

  it("answers 400 when there is no body at all", async () => {
    expect(await failure(readJsonBody(post(null)))).toEqual({ code: "request.malformed_json", status: 400 });
  });

  it("answers 422 naming the field when a string holds a NUL character (a 500 before: found by the API fuzz)", async () => {
    const request = post(JSON.stringify({ name: "Acme", settings: { email_from: "a\u0000b" } }));
    await expect(readJsonBody(request)).rejects.toMatchObject({
      code: "validation.failed",
      status: 422,
      fields: [{ field: "settings.email_from", code: "field.invalid" }],
    });
  });
});
