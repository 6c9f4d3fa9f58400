import { describe, expect, it } from "vitest";
import { parseDjangoPbkdf2, parsePhcPbkdf2, verifyPbkdf2 } from "./pbkdf2";

/**
 * Known vectors computed outside this code with Python: Django-style strings from
 * `base64.b64encode(hashlib.pbkdf2_hmac(alg, password, salt, iterations))` (exactly what Django's
 * PBKDF2PasswordHasher does), passlib-style strings from passlib 1.7.4's `pbkdf2_sha256` /
 * `pbkdf2_sha512`, and PHC strings (`i=…,l=…`, RustCrypto's spelling) from hashlib + base64.
 */
const django = [
  [
    "correct horse",
    "pbkdf2_sha256$12000$Xs2Qn8UaTfRNkDMZ2a8gYk$VSo11V0WmLqOtHOzETG9vPrDt4InNXVWWwwxKL1Vx7A=",
  ],
  ["pässwörd 🔑", "pbkdf2_sha256$10000$seasalt12345$r3aTHONTHwlwAV/su/3f0p54KMa8S+fGKkpkzO4XYPQ="],
  [
    "correct horse",
    "pbkdf2_sha512$20000$Xs2Qn8UaTfRNkDMZ2a8gYk$KXNBz+RVddKWLCSAsbqgKw7D7yrTf5MTRi+2S6OnqQDCUH2m3a61A1L3vQ8LG1HarpuL0Y3urMkWQvnXdZOPrg==",
  ],
] as const;
const phc = [
  [
    "correct horse",
    "$pbkdf2-sha256$29000$./4Bc2FsdC1ieXRlcy0xNg$zU9f62H96j8XZV1xWvuYwM1aJwFG9MSkjybmkXk30YA",
  ],
  [
    "pässwörd 🔑",
    "$pbkdf2-sha512$25000$ZkwJASCE0BqjFCLkfO.9Fw$t8hxQSaCWuRJkgawMXnPujBCB8jsIXb7prJlVYZV76k/gqiw7srHwCTMQrjU2CuV2op/9LCYqGPEQxRJJ1p0Mw",
  ],
  [
    "correct horse",
    "$pbkdf2-sha256$i=10000$cnVzdC1jcnlwdG8tc2FsdA$WM5YgwzHuvMvbPFvYWZDdaH85X1vrLZ7hrLOHnuXgDs",
  ],
  [
    "correct horse",
    "$pbkdf2-sha512$i=10000,l=64$cnVzdC1jcnlwdG8tc2FsdA$wXViCjtZOLISNKiG26chewxTmhVKelWbTtdp+00kBS3kB/J/TBswgpZ3c5LszGlBj68EKMnfncyDuomN0WIxtQ",
  ],
] as const;

function ok<T>(result: { ok: true; value: T } | { ok: false; problem: string }): T {
  if (!result.ok) throw new Error(`refused: ${result.problem}`);
  return result.value;
}

describe("PBKDF2, Django style", { timeout: 30_000 }, () => {
  it.each(django)("verifies the known vector for %j and refuses near misses", async (password, encoded) => {
    const stored = ok(parseDjangoPbkdf2(encoded));
    expect(await verifyPbkdf2(password, stored)).toBe(true);
    expect(await verifyPbkdf2(`${password}.`, stored)).toBe(false);
    expect(await verifyPbkdf2("", stored)).toBe(false);
  });

  it("reads the digest, the iterations and the salt as text", () => {
    expect(ok(parseDjangoPbkdf2(django[2][1]))).toMatchObject({
      digest: "sha512",
      iterations: 20000,
      salt: Buffer.from("Xs2Qn8UaTfRNkDMZ2a8gYk"),
    });
  });

  it("uses the iteration count", async () => {
    const [password, encoded] = django[0];
    expect(await verifyPbkdf2(password, ok(parseDjangoPbkdf2(encoded.replace("$12000$", "$12001$"))))).toBe(
      false,
    );
  });

  it.each([
    [
      "under 1,000 iterations",
      "pbkdf2_sha256$999$Xs2Qn8UaTfRNkDMZ2a8gYk$VSo11V0WmLqOtHOzETG9vPrDt4InNXVWWwwxKL1Vx7A=",
    ],
    [
      "SHA-256 over 2,000,000",
      "pbkdf2_sha256$2000001$Xs2Qn8UaTfRNkDMZ2a8gYk$VSo11V0WmLqOtHOzETG9vPrDt4InNXVWWwwxKL1Vx7A=",
    ],
    [
      "SHA-512 over 1,000,000",
      "pbkdf2_sha512$1000001$Xs2Qn8UaTfRNkDMZ2a8gYk$KXNBz+RVddKWLCSAsbqgKw7D7yrTf5MTRi+2S6OnqQDCUH2m3a61A1L3vQ8LG1HarpuL0Y3urMkWQvnXdZOPrg==",
    ],
  ])("refuses %s as out of bounds", (_label, encoded) => {
    expect(parseDjangoPbkdf2(encoded)).toEqual({ ok: false, problem: "password.hash_cost_out_of_bounds" });
  });

  it("accepts Django 6.0's 1,200,000 iterations", () => {
    expect(
      parseDjangoPbkdf2(
        "pbkdf2_sha256$1200000$Xs2Qn8UaTfRNkDMZ2a8gYk$VSo11V0WmLqOtHOzETG9vPrDt4InNXVWWwwxKL1Vx7A=",
      ).ok,
    ).toBe(true);
  });

  it.each([
    [
      "an unpadded hash",
      "pbkdf2_sha256$12000$Xs2Qn8UaTfRNkDMZ2a8gYk$VSo11V0WmLqOtHOzETG9vPrDt4InNXVWWwwxKL1Vx7A",
    ],
    ["a SHA-512-sized hash under sha256", django[2][1].replace("pbkdf2_sha512", "pbkdf2_sha256")],
    ["a salt under 8 bytes", "pbkdf2_sha256$12000$short$VSo11V0WmLqOtHOzETG9vPrDt4InNXVWWwwxKL1Vx7A="],
    ["an empty salt", "pbkdf2_sha256$12000$$VSo11V0WmLqOtHOzETG9vPrDt4InNXVWWwwxKL1Vx7A="],
    [
      "zero iterations",
      "pbkdf2_sha256$0$Xs2Qn8UaTfRNkDMZ2a8gYk$VSo11V0WmLqOtHOzETG9vPrDt4InNXVWWwwxKL1Vx7A=",
    ],
    [
      "a non-numeric count",
      "pbkdf2_sha256$1e5$Xs2Qn8UaTfRNkDMZ2a8gYk$VSo11V0WmLqOtHOzETG9vPrDt4InNXVWWwwxKL1Vx7A=",
    ],
    [
      "a salt with a space",
      "pbkdf2_sha256$12000$Xs2Qn8 aTfRNkDMZ2a8gYk$VSo11V0WmLqOtHOzETG9vPrDt4InNXVWWwwxKL1Vx7A=",
    ],
  ])("refuses %s as invalid", (_label, encoded) => {
    expect(parseDjangoPbkdf2(encoded)).toEqual({ ok: false, problem: "password.hash_invalid" });
  });
});

describe("PBKDF2, passlib and PHC style", { timeout: 30_000 }, () => {
  it.each(phc)("verifies the known vector for %j and refuses near misses", async (password, encoded) => {
    const stored = ok(parsePhcPbkdf2(encoded));
    expect(await verifyPbkdf2(password, stored)).toBe(true);
    expect(await verifyPbkdf2(password.slice(1), stored)).toBe(false);
  });

  it("decodes passlib's adapted base64 (`.` for `+`)", () => {
    expect(ok(parsePhcPbkdf2(phc[0][1])).salt).toEqual(Buffer.from("\xfb\xfe\x01salt-bytes-16", "latin1"));
  });

  it("reads an explicit PHC length", () => {
    expect(ok(parsePhcPbkdf2(phc[3][1]))).toMatchObject({ digest: "sha512", iterations: 10000 });
    expect(ok(parsePhcPbkdf2(phc[3][1])).hash).toHaveLength(64);
  });

  it.each([
    [
      "passlib under 1,000 iterations",
      "$pbkdf2-sha256$999$./4Bc2FsdC1ieXRlcy0xNg$zU9f62H96j8XZV1xWvuYwM1aJwFG9MSkjybmkXk30YA",
    ],
    [
      "PHC over 2,000,000",
      "$pbkdf2-sha256$i=2000001$cnVzdC1jcnlwdG8tc2FsdA$WM5YgwzHuvMvbPFvYWZDdaH85X1vrLZ7hrLOHnuXgDs",
    ],
    [
      "an absurd count",
      "$pbkdf2-sha256$i=4000000000$cnVzdC1jcnlwdG8tc2FsdA$WM5YgwzHuvMvbPFvYWZDdaH85X1vrLZ7hrLOHnuXgDs",
    ],
  ])("refuses %s as out of bounds", (_label, encoded) => {
    expect(parsePhcPbkdf2(encoded)).toEqual({ ok: false, problem: "password.hash_cost_out_of_bounds" });
  });

  it.each([
    [
      "standard base64 in a passlib string",
      "$pbkdf2-sha256$29000$+/4Bc2FsdC1ieXRlcy0xNg$zU9f62H96j8XZV1xWvuYwM1aJwFG9MSkjybmkXk30YA",
    ],
    [
      "a length that does not match",
      "$pbkdf2-sha256$i=10000,l=64$cnVzdC1jcnlwdG8tc2FsdA$WM5YgwzHuvMvbPFvYWZDdaH85X1vrLZ7hrLOHnuXgDs",
    ],
    ["a length out of range", "$pbkdf2-sha256$i=10000,l=8$cnVzdC1jcnlwdG8tc2FsdA$WM5YgwzHuvM"],
    [
      "an unknown parameter",
      "$pbkdf2-sha256$i=10000,x=1$cnVzdC1jcnlwdG8tc2FsdA$WM5YgwzHuvMvbPFvYWZDdaH85X1vrLZ7hrLOHnuXgDs",
    ],
    [
      "no iterations",
      "$pbkdf2-sha256$l=32$cnVzdC1jcnlwdG8tc2FsdA$WM5YgwzHuvMvbPFvYWZDdaH85X1vrLZ7hrLOHnuXgDs",
    ],
  ])("refuses %s as invalid", (_label, encoded) => {
    expect(parsePhcPbkdf2(encoded)).toEqual({ ok: false, problem: "password.hash_invalid" });
  });
});
