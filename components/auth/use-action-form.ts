"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { type FormEvent, startTransition, useActionState, useRef } from "react";
import { type DefaultValues, type FieldValues, type Resolver, useForm } from "react-hook-form";
import type { z } from "zod";
import type { FormState } from "@/lib/forms/state";

export type FormAction = (state: FormState, formData: FormData) => Promise<FormState>;

const initialState: FormState = { fieldErrors: {} };

/**
 * A server-action form that validates inline with the server's own zod schema when JavaScript is
 * there, and is a plain POST form when it is not. Server errors (wrong password) come back as
 * form state either way.
 */
export function useActionForm<T extends FieldValues>(
  schema: z.ZodType<unknown, T>,
  action: FormAction,
  defaults: DefaultValues<T>,
) {
  const [state, formAction, pending] = useActionState(action, initialState);
  const formRef = useRef<HTMLFormElement>(null);
  const form = useForm<T>({
    resolver: zodResolver(schema as never) as unknown as Resolver<T>,
    mode: "onTouched",
    defaultValues: { ...defaults, ...(state.values as DefaultValues<T>) },
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const element = formRef.current;
    void form.handleSubmit(() => {
      if (element) startTransition(() => formAction(new FormData(element)));
    })(event);
  };

  /** The code of the error to show for a field: the browser's check first, then the server's. */
  const fieldErrorCode = (
    name: string,
  ): { code: string; params?: Record<string, string | number> } | undefined => {
    const client = form.formState.errors[name]?.message;
    if (typeof client === "string" && client) return { code: client };
    const server = state.fieldErrors[name]?.[0];
    return server ? { code: server.code, params: server.params } : undefined;
  };

  return { form, state, formAction, pending, formRef, onSubmit, fieldErrorCode };
}

export type ActionFormHandle = ReturnType<typeof useActionForm>;
