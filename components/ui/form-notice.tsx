import type { ReactNode } from "react";

/**
 * A success message after a form action ("Your password has been changed"). The status region is
 * always present, so that a screen reader announces the text when it appears.
 */
export function FormNotice({ children }: { children: ReactNode }) {
  return (
    <div data-slot="form-notice" role="status">
      {children}
    </div>
  );
}
