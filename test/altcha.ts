import { type Challenge, type Solution, solveChallenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";

/**
 * Solves a challenge with altcha-lib's own solver, the counter range split over a few parallel
 * searches (node's PBKDF2 runs on the libuv pool), and returns what the widget would post.
 */
export async function solveAltcha(challenge: Challenge, searches = 4): Promise<string> {
  const controller = new AbortController();
  const solution = await Promise.any(
    Array.from({ length: searches }, async (_, i) => {
      const found = await solveChallenge({
        challenge,
        deriveKey,
        controller,
        counterStart: i,
        counterStep: searches,
        timeout: 60_000,
      });
      if (!found) throw new Error("no solution");
      controller.abort();
      return found;
    }),
  );
  return altchaPayload(challenge, solution);
}

/** The widget's form value: base64 of the JSON `{challenge: {parameters, signature}, solution}`. */
export function altchaPayload(challenge: Challenge, solution: Solution): string {
  const { parameters, signature } = challenge;
  return Buffer.from(JSON.stringify({ challenge: { parameters, signature }, solution })).toString("base64");
}
