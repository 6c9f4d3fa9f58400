import type { ReactNode } from "react";

/** The form-level message (wrong password, expired form): announced, and first in reading order. */
export function FormAlert({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <div data-slot="form-error" role="alert">
      {children}
    </div>
  );
}
