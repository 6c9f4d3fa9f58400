import { handleSocialStart } from "@/lib/pages/social-login";

export const dynamic = "force-dynamic";

type Route = { params: Promise<{ realm: string; provider: string }> };

/** "Continue with …": off to the provider (DESIGN section 2, `/login/social/{provider}`). */
export async function GET(request: Request, { params }: Route) {
  const { realm, provider } = await params;
  return handleSocialStart(request, realm, provider);
}
