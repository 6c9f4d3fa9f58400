import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary as commonDictionary } from "@zxcvbn-ts/language-common";
import { dictionary as englishDictionary } from "@zxcvbn-ts/language-en";
import type { StrengthEstimator } from "./policy";

/**
 * zxcvbn with the common and English dictionaries, built once on first use (≈ 0.3 s and a few MB:
 * never at import time). Shared by the server and, through a dynamic import
 * (./strength-loader.ts), by the browser's strength meter.
 *
 * zxcvbn's matching grows steeply with length and with l33t substitutions: with its defaults (256
 * characters, 100 substitutions) one adversarial 64-character input costs over a second of CPU on
 * the event loop. So only the first STRENGTH_ANALYSED_LENGTH characters are scored (a prefix that
 * long reaches any realm's threshold when the password is any good) and at most 4 l33t
 * substitutions are tried; the worst inputs we found then cost tens of milliseconds.
 */
export const STRENGTH_ANALYSED_LENGTH = 32;

let instance: StrengthEstimator | undefined;

export function strengthEstimator(): StrengthEstimator {
  instance ??= createStrengthEstimator();
  return instance;
}

function createStrengthEstimator(): StrengthEstimator {
  const zxcvbn = new ZxcvbnFactory({
    dictionary: { ...commonDictionary, ...englishDictionary },
    graphs: adjacencyGraphs,
    maxLength: STRENGTH_ANALYSED_LENGTH,
    l33tMaxSubstitutions: 4,
  });
  // The blocklist is zxcvbn's own list of common passwords (language-common), offline.
  const common = new Set(commonDictionary["passwords-common"].map((p) => p.normalize("NFKC").toLowerCase()));
  return {
    score: (password, userInputs) => zxcvbn.check(password, [...userInputs]).score,
    isCommon: (password) => common.has(password.normalize("NFKC").toLowerCase()),
  };
}
