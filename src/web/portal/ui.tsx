import type { ButtonHTMLAttributes, InputHTMLAttributes, ReactNode, TextareaHTMLAttributes } from 'react';
import { useId } from 'react';
import { ApiError } from '../app/api.ts';

/** Small building blocks of the portal; classes are in portal.css. */

export function Button({
  variant = 'primary',
  small,
  busy,
  children,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: 'primary' | 'secondary' | 'danger';
  small?: boolean;
  busy?: boolean;
}) {
  const classes = ['p-btn', variant !== 'primary' ? `p-${variant}` : '', small ? 'p-small' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <button type="button" className={classes} disabled={busy || props.disabled} aria-busy={busy} {...props}>
      {children}
    </button>
  );
}

export function Card({ children, title }: { children: ReactNode; title?: ReactNode }) {
  return (
    <section className="p-card">
      {title ? <h2>{title}</h2> : null}
      {children}
    </section>
  );
}

/** A labelled input with its hint and error, wired for screen readers. */
export function TextField({
  label,
  hint,
  error,
  multiline,
  ...props
}: (InputHTMLAttributes<HTMLInputElement> & TextareaHTMLAttributes<HTMLTextAreaElement>) & {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  multiline?: boolean;
}) {
  const id = useId();
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <label className="p-field" htmlFor={id}>
      <span>
        {label}{' '}
        {hint ? (
          <span className="p-hint" id={`${id}-hint`}>
            {hint}
          </span>
        ) : null}
      </span>
      {multiline ? (
        <textarea
          id={id}
          className="p-input"
          aria-invalid={Boolean(error)}
          aria-describedby={describedBy}
          {...props}
        />
      ) : (
        <input
          id={id}
          className="p-input"
          aria-invalid={Boolean(error)}
          aria-describedby={describedBy}
          {...props}
        />
      )}
      {error ? (
        <div className="p-field-error" id={`${id}-error`}>
          {error}
        </div>
      ) : null}
    </label>
  );
}

export function Checkbox({
  label,
  checked,
  onChange,
  hint,
}: {
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: ReactNode;
}) {
  return (
    <label className="p-check">
      <input type="checkbox" checked={checked} onChange={(event) => onChange(event.currentTarget.checked)} />
      <span>
        {label}
        {hint ? <div className="p-muted">{hint}</div> : null}
      </span>
    </label>
  );
}

export function Notice({
  kind = 'info',
  children,
}: {
  kind?: 'info' | 'error' | 'success';
  children: ReactNode;
}) {
  return (
    <div
      className={`p-notice${kind === 'info' ? '' : ` p-${kind}`}`}
      role={kind === 'error' ? 'alert' : 'status'}
    >
      {children}
    </div>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="p-loading" role="status">
      {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="p-empty">{children}</div>;
}

export function Badge({ children, brand }: { children: ReactNode; brand?: boolean }) {
  return <span className={brand ? 'p-badge p-brand' : 'p-badge'}>{children}</span>;
}

/** The message of a failed request, for a Notice. */
export function problemText(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = error.errors.map((field) => `${field.path.replace(/^body\./, '')} ${field.message}`);
    return fields.length > 0 ? `${error.message} ${fields.join('; ')}` : error.message;
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
}

/** The error message of one field (path like "body.phone") from a failed request. */
export function fieldError(error: unknown, path: string): string | null {
  if (!(error instanceof ApiError)) return null;
  return (
    error.errors.find((field) => field.path === path || field.path.startsWith(`${path}.`))?.message ?? null
  );
}

export function ErrorNotice({ error }: { error: unknown }) {
  if (!error) return null;
  return <Notice kind="error">{problemText(error)}</Notice>;
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return '';
  return new Date(value).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
