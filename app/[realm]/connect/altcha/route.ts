import { altchaChallengeResponse } from "@/lib/pages/altcha-challenge";

export const dynamic = "force-dynamic";

/**
 * A proof-of-work challenge for the signup page's widget. Under `/connect/` with the realm's other
 * machine endpoints (JWKS), so the proxy treats it as JSON: no CSP, no CSRF cookie.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ realm: string }> }) {
  return altchaChallengeResponse((await params).realm);
}
