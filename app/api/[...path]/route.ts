import { errorResponse } from "@/lib/api";
import { AppError } from "@/lib/errors";

export const dynamic = "force-dynamic";

/** Unknown API paths answer in the API's own error shape, not with an HTML page. */
function notFound(): Response {
  return errorResponse(new AppError("resource.not_found"), "");
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
