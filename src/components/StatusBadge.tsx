import { useTranslations } from 'next-intl';
import type { SessionStatus } from '@/shared/schemas/common';

/** Every status its own colour and mark, so a list reads at a glance (and without colour). */
const LOOK: Record<SessionStatus | 'stalled', { cls: string; icon: string }> = {
  queued: { cls: 'bg-zinc-500/15 text-zinc-600 ring-zinc-500/30 dark:text-zinc-300', icon: '◷' },
  running: { cls: 'bg-sky-500/15 text-sky-700 ring-sky-500/40 dark:text-sky-300', icon: '●' },
  paused: { cls: 'bg-amber-500/15 text-amber-700 ring-amber-500/40 dark:text-amber-300', icon: '❚❚' },
  completed: {
    cls: 'bg-emerald-500/15 text-emerald-700 ring-emerald-500/40 dark:text-emerald-300',
    icon: '✓',
  },
  failed: { cls: 'bg-red-500/15 text-red-700 ring-red-500/40 dark:text-red-300', icon: '✕' },
  stopped: { cls: 'bg-fuchsia-500/15 text-fuchsia-700 ring-fuchsia-500/40 dark:text-fuchsia-300', icon: '■' },
  stalled: { cls: 'bg-orange-500/15 text-orange-700 ring-orange-500/40 dark:text-orange-300', icon: '⚠' },
};

export function StatusBadge({ status, stalled = false }: { status: SessionStatus; stalled?: boolean }) {
  const t = useTranslations('status');
  const shown = stalled ? 'stalled' : status;
  const look = LOOK[shown];
  return (
    <span
      data-testid="status-badge"
      data-status={status}
      title={stalled ? t('stalledHint') : undefined}
      className={`inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${look.cls}`}
    >
      <span aria-hidden className={`text-[0.65rem] ${status === 'running' && !stalled ? 'animate-pulse' : ''}`}>
        {look.icon}
      </span>
      {t(shown)}
    </span>
  );
}

/** One rule for the badge and the "run stalled" alert (see shared/stall.ts). */
export { isStalled } from '@/shared/stall';
