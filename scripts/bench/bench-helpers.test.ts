import { describe, expect, it } from "vitest";
// @ts-expect-error: plain ESM script without type declarations
import { cookiePairs, hiddenFields, loginOutcome, mergeCookies, multipart } from "./login-form.mjs";
// @ts-expect-error: plain ESM script without type declarations
import { percentile, ratio, summarize } from "./report.mjs";

/** The bench's own arithmetic and form handling (the bench itself is not a test: README "Benchmarks"). */
describe("the login form as the bench posts it", () => {
  const page = `<form action="" encType="multipart/form-data" method="POST">
    <input type="hidden" name="$ACTION_REF_1"/>
    <input type="hidden" name="$ACTION_1:0" value="{&quot;id&quot;:&quot;70e0&quot;,&quot;bound&quot;:&quot;$@1&quot;}"/>
    <input type="hidden" name="redirect_uri" value="https://app.example/cb?a=1&amp;b=2"/>
    <input data-slot="input" id="email" type="email" name="email"/>
    <input name="csrf_token" type="hidden" value="tok"/></form>`;

  it("reads every hidden field, in order, with entities decoded, and nothing else", () => {
    expect(hiddenFields(page)).toEqual([
      ["$ACTION_REF_1", ""],
      ["$ACTION_1:0", '{"id":"70e0","bound":"$@1"}'],
      ["redirect_uri", "https://app.example/cb?a=1&b=2"],
      ["csrf_token", "tok"],
    ]);
  });

  it("keeps the last value of each cookie, without attributes", () => {
    const first = cookiePairs(["gh_csrf=a; Path=/; HttpOnly", "other=1"]);
    expect(mergeCookies(first, cookiePairs("gh_csrf=b; Path=/"))).toBe("gh_csrf=b; other=1");
    expect(cookiePairs(undefined)).toEqual([]);
  });

  it("encodes multipart fields between boundaries", () => {
    const { body, contentType } = multipart([["email", "a@b.test"]], "XYZ");
    expect(contentType).toBe("multipart/form-data; boundary=XYZ");
    expect(body).toBe('--XYZ\r\nContent-Disposition: form-data; name="email"\r\n\r\na@b.test\r\n--XYZ--\r\n');
  });

  it("tells a token, a busy answer and anything else apart", () => {
    expect(loginOutcome(303, "https://app.example/cb?token=x", "")).toBe("ok");
    expect(loginOutcome(303, "https://app.example/cb?error=x", "")).toBe("failed");
    expect(loginOutcome(503, null, "")).toBe("busy");
    expect(loginOutcome(200, null, "…Too many people are signing in right now…")).toBe("busy");
    expect(loginOutcome(200, null, "Incorrect email or password.")).toBe("failed");
  });
});

describe("bench statistics", () => {
  it("summarizes repeats as min, median and max, skipping missing values", () => {
    expect(summarize([3, 1, 2])).toEqual({ min: 1, median: 2, max: 3 });
    expect(summarize([4, 1, null, 2, 3])).toEqual({ min: 1, median: 2.5, max: 4 });
    expect(summarize([null])).toBeNull();
  });

  it("takes ratios repeat by repeat", () => {
    expect(ratio([10, 20, 30], [20, 20, 20])).toEqual({ min: 0.5, median: 1, max: 1.5 });
    expect(ratio([10, null], [0, 5])).toBeNull();
  });

  it("reads percentiles by nearest rank", () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });
});
