/**
 * A form field for programs only: moved off-screen by CSS (`[data-slot="honeypot"]`), hidden from
 * assistive technology, out of the tab order and left alone by autofill. People never fill it;
 * the server refuses a form that arrives with it filled. Plain HTML, so it works without scripts.
 * The label asks anyone who somehow meets it (a page without its stylesheet) to leave it empty.
 */
export function HoneypotField({ name, label }: { name: string; label: string }) {
  const id = `${name}-field`;
  return (
    <div data-slot="honeypot" aria-hidden="true">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} type="text" tabIndex={-1} autoComplete="off" defaultValue="" />
    </div>
  );
}
