'use client';
import { useTranslations } from 'next-intl';
import { useState } from 'react';

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

function Leaf({ value }: { value: Json }) {
  if (value === null)
    return (
      <span className="text-faint" translate="no">
        null
      </span>
    );
  if (typeof value === 'string') return <span className="text-emerald-600 dark:text-emerald-400">&quot;{value}&quot;</span>;
  if (typeof value === 'number') return <span className="text-sky-600 dark:text-sky-300">{String(value)}</span>;
  if (typeof value === 'boolean') return <span className="text-fuchsia-600 dark:text-fuchsia-300">{String(value)}</span>;
  return null;
}

function Node({ name, value, depth }: { name: string | null; value: Json; depth: number }) {
  const t = useTranslations('config');
  const [open, setOpen] = useState(depth < 1);
  const isObj = value !== null && typeof value === 'object';
  const label = name !== null && <span className="text-muted">{name}: </span>;
  if (!isObj) {
    return (
      <div className="py-px">
        {label}
        <Leaf value={value} />
      </div>
    );
  }
  const entries: [string, Json][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  const brackets = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return (
    <div className="py-px">
      <button
        type="button"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        className="inline-flex items-center gap-1 hover:text-accent"
      >
        <span aria-hidden className={`inline-block w-3 text-faint transition-transform ${open ? 'rotate-90' : ''}`}>
          ▸
        </span>
        {label}
        <span className="text-faint">
          {brackets[0]}
          {!open && (
            <>
              <span translate="yes">{t(Array.isArray(value) ? 'items' : 'keys', { count: entries.length })}</span>
              {brackets[1]}
            </>
          )}
        </span>
      </button>
      {open && (
        <div className="ml-4 border-l border-line pl-3">
          {entries.map(([k, v]) => (
            <Node key={k} name={k} value={v} depth={depth + 1} />
          ))}
          <span className="text-faint">{brackets[1]}</span>
        </div>
      )}
    </div>
  );
}

/** The run's config as a collapsible tree, with a button that copies it as JSON. */
export function ConfigTree({ config }: { config: Record<string, unknown> }) {
  const t = useTranslations('config');
  const [copied, setCopied] = useState(false);
  const json = JSON.stringify(config, null, 2);
  const copy = async () => {
    await navigator.clipboard?.writeText(json).catch(() => {});
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  const keys = Object.keys(config);
  return (
    <details className="group rounded-xl border border-line bg-panel" data-testid="config">
      <summary className="flex cursor-pointer list-none items-center gap-2 px-4 py-2.5 text-sm">
        <span aria-hidden className="text-faint transition-transform group-open:rotate-90">
          ▸
        </span>
        <span className="font-medium">{t('title')}</span>
        <span className="text-xs text-muted">{t('keys', { count: keys.length })}</span>
        <button
          type="button"
          onClick={(e) => {
            e.preventDefault();
            void copy();
          }}
          className="ml-auto rounded-md border border-line px-2 py-0.5 text-xs text-muted hover:bg-raised hover:text-fg"
          aria-label={t('copyLabel')}
        >
          {copied ? t('copied') : t('copy')}
        </button>
      </summary>
      <div className="max-h-96 overflow-auto border-t border-line px-4 py-3 font-mono text-xs">
        {keys.length === 0 ? (
          <span className="text-muted">{t('empty')}</span>
        ) : (
          // Keys and values are the trainer's own, shown as written.
          <div translate="no">
            <Node name={null} value={config as Json} depth={0} />
          </div>
        )}
      </div>
    </details>
  );
}
