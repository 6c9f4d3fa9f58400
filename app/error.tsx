"use client";

import { ServerError } from "@/components/auth/server-error";

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return <ServerError digest={error.digest} reset={reset} />;
}
