import { handleLogoutGet, handleLogoutPost } from "@/lib/pages/logout";

export const dynamic = "force-dynamic";

type Route = { params: Promise<{ realm: string }> };

export async function GET(request: Request, { params }: Route) {
  return handleLogoutGet(request, (await params).realm);
}

export async function POST(request: Request, { params }: Route) {
  return handleLogoutPost(request, (await params).realm);
}
