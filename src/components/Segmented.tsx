'use client';
/** A choice of one among a few, as a radio group of buttons. */

const LOOKS = {
  /** Options joined in one bordered box (axis and scale switches). */
  joined: {
    group: 'inline-flex rounded-md border border-line p-0.5',
    option: (on: boolean) =>
      `rounded px-2.5 py-1 text-xs transition-colors ${on ? 'bg-raised text-fg' : 'text-muted hover:text-fg'}`,
  },
  /** Options as separate bordered chips. */
  chips: {
    group: 'flex items-center gap-1',
    option: (on: boolean) => `rounded-md border px-2 py-0.5 text-xs ${on ? 'border-accent text-fg' : 'border-line text-muted'}`,
  },
};

export function Segmented<T extends string>({
  label,
  value,
  options,
  onChange,
  look = 'joined',
  className = '',
}: {
  label: string;
  value: T;
  options: { id: T; label: string }[];
  onChange: (v: T) => void;
  look?: keyof typeof LOOKS;
  className?: string;
}) {
  const { group, option } = LOOKS[look];
  return (
    <div role="radiogroup" aria-label={label} className={`${group} ${className}`.trim()}>
      {options.map((o) => (
        <button
          key={o.id}
          type="button"
          role="radio"
          aria-checked={value === o.id}
          onClick={() => onChange(o.id)}
          className={option(value === o.id)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
