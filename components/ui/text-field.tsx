import type { InputHTMLAttributes, ReactNode, Ref } from "react";

export interface TextFieldProps
  extends Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "name" | "children"> {
  id: string;
  name: string;
  label: string;
  /** A sentence, or richer content such as a list of rules. */
  hint?: ReactNode;
  /** One message, or several shown together (every rule a password fails). */
  error?: string | readonly string[];
  /** Shown under the input, before the errors (a strength meter). */
  children?: ReactNode;
  ref?: Ref<HTMLInputElement>;
}

/**
 * A labelled input whose hint and errors are tied to it (`aria-describedby`), and whose errors are
 * announced (`role="alert"`). Works the same with and without client JavaScript.
 */
export function TextField({ id, name, label, hint, error, children, ref, ...input }: TextFieldProps) {
  const errors = (typeof error === "string" ? [error] : (error ?? [])).filter(Boolean);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors.length ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  return (
    <div data-slot="field" data-field={name} data-invalid={errors.length ? "true" : undefined}>
      <label data-slot="label" htmlFor={id}>
        {label}
      </label>
      {typeof hint === "string" ? (
        <p data-slot="hint" id={hintId}>
          {hint}
        </p>
      ) : hint ? (
        <div data-slot="hint" id={hintId}>
          {hint}
        </div>
      ) : null}
      <input
        data-slot="input"
        id={id}
        name={name}
        ref={ref}
        aria-invalid={errors.length ? true : undefined}
        aria-describedby={describedBy}
        {...input}
      />
      {children}
      {errors.length === 1 ? (
        <p data-slot="field-error" id={errorId} role="alert">
          {errors[0]}
        </p>
      ) : errors.length > 1 ? (
        <div data-slot="field-error" id={errorId} role="alert">
          <ul>
            {errors.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
