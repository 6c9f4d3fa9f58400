import { apiRoute } from "@/lib/api";

export const dynamic = "force-dynamic";

type Params = { realm: string; id: string };

/**
 * Mails the user a new verification link (the previous one stops working): `202` with where it went
 * and until when it works. Body optional: `client_id` / `redirect_uri` for the confirmed page's way
 * back to the app. 409 `email.already_verified`; 429 `rate.limited` over the address's hourly budget.
 */
export const POST = apiRoute<Params>(
  async ({ gh, params, realm, optionalJson }) => {
    const found = await realm(params.realm);
    const token = await gh.emailVerification.sendForAdmin(found, params.id, await optionalJson());
    return {
      object: "verification_email",
      user_id: token.userId,
      email: token.email,
      expires_at: token.expiresAt,
    };
  },
  { status: 202 },
);
