'use client';
/** Form parts the settings share: a labelled field, a select of a few named choices, the submit button and its error. */
import type { ReactNode } from 'react';
import { useErrorText, type ApiErrorLike } from './useErrorText';

export function Field({ label, className = 'text-sm', children }: { label: ReactNode; className?: string; children: ReactNode }) {
  return (
    <label className={className}>
      <span className="block text-muted">{label}</span>
      {children}
    </label>
  );
}

export function Select<T extends string>({
  value,
  options,
  onChange,
  className,
  disabled,
}: {
  value: T;
  options: { id: T; label: string }[];
  onChange: (value: T) => void;
  className: string;
  disabled?: boolean;
}) {
  return (
    <select value={value} disabled={disabled} onChange={(e) => onChange(e.target.value as T)} className={className}>
      {options.map((o) => (
        <option key={o.id} value={o.id}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

export function SubmitButton({ label, busy }: { label: string; busy: boolean }) {
  return (
    <button type="submit" disabled={busy} className="rounded-md bg-accent px-3 py-1.5 text-sm text-white">
      {label}
    </button>
  );
}

/** A failed submit, said in the page's language. */
export function FormError({ error, className }: { error: ApiErrorLike | null; className: string }) {
  const errorText = useErrorText();
  return (
    error && (
      <p role="alert" className={className}>
        {errorText(error)}
      </p>
    )
  );
}
