'use client';
/** A key just created: shown this once (only its hash is stored), with a button to copy it. */
import { useTranslations } from 'next-intl';

export function CreatedKey({ name, apiKey }: { name: string; apiKey: string }) {
  const t = useTranslations('settings');
  return (
    <div role="status" className="mt-4 rounded-md border border-emerald-500/40 bg-emerald-500/10 p-3 text-sm">
      {t.rich('created', { name, strong: (text) => <strong translate="no">{text}</strong> })}
      <div className="mt-2 flex items-center gap-2">
        <code translate="no" className="flex-1 break-all rounded bg-bg px-2 py-1 font-mono">
          {apiKey}
        </code>
        <button
          onClick={() => void navigator.clipboard.writeText(apiKey)}
          className="rounded-md border border-line px-2 py-1 hover:bg-raised"
        >
          {t('copy')}
        </button>
      </div>
    </div>
  );
}
