import type { InputHTMLAttributes, Ref } from "react";

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "name"> {
  id: string;
  name: string;
  label: string;
  hint?: string;
  error?: string;
  ref?: Ref<HTMLInputElement>;
}

/**
 * A labelled input whose hint and error are tied to it (`aria-describedby`), and whose error is
 * announced (`role="alert"`). Works the same with and without client JavaScript.
 */
export function TextField({ id, name, label, hint, error, ref, ...input }: TextFieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  return (
    <div data-slot="field" data-field={name} data-invalid={error ? "true" : undefined}>
      <label data-slot="label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <p data-slot="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <input
        data-slot="input"
        id={id}
        name={name}
        ref={ref}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...input}
      />
      {error ? (
        <p data-slot="field-error" id={errorId} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
