import { describe, expect, it } from "vitest";
import { decimal, decodeAb64, decodeB64, decodeBase64Padded, equalBytes, phcParams } from "./phc";

describe("PHC helpers", () => {
  it("reads decimals with one spelling only", () => {
    expect(decimal("0")).toBe(0);
    expect(decimal("65536")).toBe(65536);
    for (const bad of ["", "01", "+1", "-1", "1e3", "1.0", " 1", "12345678901", undefined])
      expect(decimal(bad), String(bad)).toBeNull();
  });

  it("reads parameter lists with exactly the expected keys, in order", () => {
    expect(phcParams("m=1,t=2,p=3", ["m", "t", "p"])).toEqual({ m: 1, t: 2, p: 3 });
    expect(phcParams("i=5", ["i", "l"], ["l"])).toEqual({ i: 5 });
    expect(phcParams("i=5,l=32", ["i", "l"], ["l"])).toEqual({ i: 5, l: 32 });
    for (const bad of [
      "t=2,m=1,p=3",
      "m=1,t=2",
      "m=1,t=2,p=3,x=4",
      "m=1,t=2,p",
      "m=1,t=2,p=3=4",
      "m=1,,t=2,p=3",
    ])
      expect(phcParams(bad, ["m", "t", "p"]), bad).toBeNull();
  });

  it("decodes canonical base64 only, in the three alphabets", () => {
    expect(decodeB64("c29tZXNhbHQ")?.toString()).toBe("somesalt");
    expect(decodeB64("c29tZXNhbHQ=")).toBeNull(); // PHC has no padding
    expect(decodeB64("c29tZXNhbHR")).toBeNull(); // non-zero trailing bits: a second spelling
    expect(decodeB64("c")).toBeNull();
    expect(decodeAb64("./4")).toEqual(Buffer.from([0xfb, 0xfe]));
    expect(decodeAb64("+/4")).toBeNull();
    expect(decodeBase64Padded("c29tZXNhbHQ=")?.toString()).toBe("somesalt");
    expect(decodeBase64Padded("c29tZXNhbHQ")).toBeNull();
  });

  it("compares equal lengths in constant time and refuses different lengths", () => {
    expect(equalBytes(Buffer.from("abc"), Buffer.from("abc"))).toBe(true);
    expect(equalBytes(Buffer.from("abc"), Buffer.from("abd"))).toBe(false);
    expect(equalBytes(Buffer.from("abc"), Buffer.from("abcd"))).toBe(false);
  });
});
