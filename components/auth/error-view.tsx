import { AuthShell } from "./auth-shell";

/** A dead end that explains itself: shown instead of redirecting anywhere we cannot vouch for. */
export function ErrorView({
  realmName,
  heading,
  message,
  hint,
}: {
  realmName: string;
  heading: string;
  message: string;
  hint: string;
}) {
  return (
    <AuthShell realmName={realmName} heading={heading}>
      <div data-slot="error" role="alert">
        <p>{message}</p>
      </div>
      <p data-slot="error-hint">{hint}</p>
    </AuthShell>
  );
}
