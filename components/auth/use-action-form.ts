"use client";

import { type FormEvent, startTransition, useActionState, useRef } from "react";
import {
  type DefaultValues,
  type FieldErrors,
  type FieldValues,
  type Resolver,
  useForm,
} from "react-hook-form";
import type { z } from "zod";
import { type FieldError, fieldErrorsFromIssue, mergeFieldErrors } from "@/lib/errors";
import type { ErrorItem, FormState } from "@/lib/forms/state";

export type FormAction = (state: FormState, formData: FormData) => Promise<FormState>;

/** Checks zod cannot run alone (a password policy that needs the other fields), on the client. */
export type ExtraCheck<T> = (values: T) => FieldError[] | Promise<FieldError[]>;

const initialState: FormState = { fieldErrors: {} };

/**
 * The server's zod schema plus the extra check, mapped to the very codes and parameters the server
 * answers with (lib/errors/zod.ts): a field can carry several errors, kept in `types`.
 */
export function actionFormResolver<T extends FieldValues>(
  schema: z.ZodType,
  check?: ExtraCheck<T>,
): Resolver<T> {
  return async (values) => {
    const parsed = schema.safeParse(values);
    const fromSchema = parsed.success ? [] : parsed.error.issues.flatMap(fieldErrorsFromIssue);
    const all = mergeFieldErrors(fromSchema, check ? await check(values) : []);
    if (all.length === 0) return { values: parsed.data as T, errors: {} };
    const errors: Record<string, { type: string; message: string; types: Record<string, string> }> = {};
    for (const { field, code, params } of all) {
      const types = errors[field]?.types ?? {};
      types[code] = JSON.stringify(params ?? {});
      errors[field] = errors[field] ?? { type: code, message: code, types };
    }
    return { values: {}, errors: errors as unknown as FieldErrors<T> };
  };
}

/** The errors a resolver of this file put on one field, back as catalogue codes and parameters. */
export function clientErrorItems(
  error: { message?: unknown; types?: Record<string, unknown> } | undefined,
): ErrorItem[] {
  if (error?.types) {
    return Object.entries(error.types).map(([code, params]) => ({
      code,
      params: typeof params === "string" ? (JSON.parse(params) as ErrorItem["params"]) : undefined,
    }));
  }
  return typeof error?.message === "string" && error.message ? [{ code: error.message }] : [];
}

/**
 * A server-action form that validates inline with the server's own zod schema (and an optional
 * extra check) when JavaScript is there, and is a plain POST form when it is not. Server errors
 * (wrong password) come back as form state either way.
 */
export function useActionForm<T extends FieldValues>(
  schema: z.ZodType<unknown, T>,
  action: FormAction,
  defaults: DefaultValues<T>,
  options: { check?: ExtraCheck<T> } = {},
) {
  const [state, formAction, pending] = useActionState(action, initialState);
  const formRef = useRef<HTMLFormElement>(null);
  const form = useForm<T>({
    resolver: actionFormResolver(schema, options.check),
    mode: "onTouched",
    defaultValues: { ...defaults, ...(state.values as DefaultValues<T>) },
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const element = formRef.current;
    void form.handleSubmit(() => {
      if (element) startTransition(() => formAction(new FormData(element)));
    })(event);
  };

  /** Every error to show for a field: the browser's check while it has any, else the server's. */
  const fieldErrorList = (name: string): ErrorItem[] => {
    const client = clientErrorItems(form.formState.errors[name]);
    return client.length ? client : (state.fieldErrors[name] ?? []);
  };

  /** The first of them, for fields that show one message. */
  const fieldErrorCode = (name: string): ErrorItem | undefined => fieldErrorList(name)[0];

  return { form, state, formAction, pending, formRef, onSubmit, fieldErrorCode, fieldErrorList };
}

export type ActionFormHandle = ReturnType<typeof useActionForm>;
