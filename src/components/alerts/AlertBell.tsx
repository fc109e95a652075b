'use client';
import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import { useFormat } from '../useFormat';
import { AlertList } from './AlertList';
import { useAlerts } from './useAlerts';
import { useAlertText } from './useAlertText';

/** The notification centre: a bell with the unread count, opening the latest alerts. */
export function AlertBell() {
  const t = useTranslations('alerts');
  const fmt = useFormat();
  const texts = useAlertText();
  const { alerts, unread, markRead } = useAlerts(texts);
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => !box.current?.contains(e.target as Node) && setOpen(false);
    const escape = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', escape);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', escape);
    };
  }, [open]);

  return (
    <div ref={box} className="relative">
      <button
        type="button"
        data-testid="alert-bell"
        aria-label={unread ? t('bellUnread', { count: fmt.count(unread) }) : t('bell')}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className="relative grid h-8 w-8 place-items-center rounded-md text-muted hover:bg-raised hover:text-fg"
      >
        <svg aria-hidden viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="1.8">
          <path d="M6 16V11a6 6 0 1 1 12 0v5l1.5 2h-15L6 16Z" strokeLinejoin="round" />
          <path d="M10 20a2 2 0 0 0 4 0" strokeLinecap="round" />
        </svg>
        {unread > 0 && (
          <span
            data-testid="alert-unread"
            className="absolute -right-1 -top-1 min-w-[1.1rem] rounded-full bg-red-600 px-1 text-center text-[0.65rem] font-semibold leading-[1.1rem] text-white"
          >
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && <AlertList texts={texts} alerts={alerts} unread={unread} markRead={markRead} onNavigate={() => setOpen(false)} />}
    </div>
  );
}
