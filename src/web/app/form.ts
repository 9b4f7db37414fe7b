import { type FormEvent, useState } from 'react';
import type { z } from 'zod';
import { ApiError, errorMessage } from './api.ts';

type Errors<T> = Partial<Record<keyof T & string, string>>;

/** "is wrong" on currentPassword reads "Current password is wrong."; full sentences are kept. */
function fieldMessage(key: string, message: string): string {
  if (!/^[a-z]/.test(message)) return message;
  const label = key.replace(/([A-Z])/g, ' $1').toLowerCase();
  const text = `${label.charAt(0).toUpperCase()}${label.slice(1)} ${message}`;
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/**
 * Small form state validated with a shared zod schema: field messages from the schema on submit,
 * and from the server's problem `errors` (or its `detail` as a form-level message) on failure.
 */
export function useZodForm<S extends z.ZodType<unknown, Record<string, unknown>>>(
  schema: S,
  initial: z.input<S> & Record<string, unknown>,
) {
  type Values = z.input<S> & Record<string, unknown>;
  const [values, setValues] = useState<Values>(initial);
  const [errors, setErrors] = useState<Errors<Values>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const setField = <K extends keyof Values & string>(key: K, value: Values[K]) => {
    setValues((current) => ({ ...current, [key]: value }));
    setErrors((current) => (current[key] ? { ...current, [key]: undefined } : current));
  };

  const showServerError = (error: unknown) => {
    if (error instanceof ApiError && error.errors.length > 0) {
      const next: Errors<Values> = {};
      for (const item of error.errors) {
        const key = item.path.replace(/^(body\.|\/)/, '').split(/[./]/)[0] as keyof Values & string;
        if (key in values) next[key] = fieldMessage(key, item.message);
      }
      setErrors(next);
      if (Object.keys(next).length === 0) setFormError(error.message);
      else setFormError(null);
    } else {
      setFormError(errorMessage(error));
    }
  };

  /** Returns an onSubmit handler that validates, then runs `action` with the parsed values. */
  const onSubmit = (action: (parsed: z.output<S>) => Promise<void>) => async (event?: FormEvent) => {
    event?.preventDefault();
    setFormError(null);
    const result = schema.safeParse(values);
    if (!result.success) {
      const next: Errors<Values> = {};
      for (const issue of result.error.issues) {
        const key = String(issue.path[0] ?? '') as keyof Values & string;
        if (key && !next[key]) next[key] = fieldMessage(key, issue.message);
        else if (!key) setFormError(sentence(issue.message));
      }
      setErrors(next);
      return;
    }
    setErrors({});
    setSubmitting(true);
    try {
      await action(result.data);
    } catch (error) {
      showServerError(error);
    } finally {
      setSubmitting(false);
    }
  };

  /** Props for a Mantine input bound to one field. */
  const field = <K extends keyof Values & string>(key: K) => ({
    value: values[key] as string,
    onChange: (event: { currentTarget: { value: string } }) =>
      setField(key, event.currentTarget.value as Values[K]),
    error: errors[key],
  });

  const reset = () => {
    setValues(initial);
    setErrors({});
    setFormError(null);
  };

  return { values, setField, errors, formError, submitting, onSubmit, field, reset };
}
