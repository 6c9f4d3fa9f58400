import type { ReactNode } from "react";

export function SubmitButton({
  children,
  pending,
  pendingLabel,
}: {
  children: ReactNode;
  pending?: boolean;
  pendingLabel?: string;
}) {
  return (
    <button data-slot="submit" type="submit" aria-disabled={pending || undefined} disabled={pending}>
      {pending && pendingLabel ? pendingLabel : children}
    </button>
  );
}
