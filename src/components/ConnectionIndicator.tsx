'use client';
import { useTranslations } from 'next-intl';
import { useConnectionStatus, type ConnectionStatus } from '@/trpc/react';

const LOOK: Record<ConnectionStatus, { dot: string; text: string }> = {
  connecting: { dot: 'bg-zinc-400 animate-pulse', text: 'text-muted' },
  live: { dot: 'bg-emerald-500', text: 'text-emerald-600 dark:text-emerald-400' },
  reconnecting: { dot: 'bg-amber-500 animate-pulse', text: 'text-amber-600 dark:text-amber-400' },
  offline: { dot: 'bg-red-500', text: 'text-red-600 dark:text-red-400' },
};

/** The live socket's state: what a user needs to trust that the numbers are current. */
export function ConnectionIndicator() {
  const t = useTranslations('connection');
  const status = useConnectionStatus();
  const look = LOOK[status];
  return (
    <div
      role="status"
      aria-live="polite"
      data-testid="connection"
      data-state={status}
      className={`flex items-center gap-2 rounded-full border border-line px-2.5 py-1 text-xs font-medium ${look.text}`}
    >
      <span className="relative flex h-2 w-2">
        {status === 'live' && (
          <span className="absolute inline-flex h-full w-full animate-ping rounded-full bg-emerald-500 opacity-50" />
        )}
        <span className={`relative inline-flex h-2 w-2 rounded-full ${look.dot}`} />
      </span>
      {t(status)}
    </div>
  );
}
