'use client';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { useFormat } from '../useFormat';
import { useNow } from '../useNow';
import { desktopEnabled, desktopSupported, disableDesktop, enableDesktop } from './desktopNotifications';
import type { Alert } from './useAlerts';
import type { AlertTexts } from './useAlertText';

const SEVERITY: Record<Alert['severity'], string> = {
  info: 'bg-sky-500',
  warning: 'bg-amber-500',
  critical: 'bg-red-600',
};

export function AlertList({
  alerts,
  unread,
  markRead,
  onNavigate,
  texts,
}: {
  alerts: Alert[];
  texts: AlertTexts;
  unread: number;
  markRead: (ids?: number[]) => void;
  onNavigate: () => void;
}) {
  const t = useTranslations('alerts');
  const fmt = useFormat();
  const now = useNow();
  // Rendered only once the bell is clicked, never on the server: the browser's state is at hand.
  const [desktop, setDesktop] = useState(desktopEnabled);

  return (
    <div
      role="dialog"
      aria-label={t('title')}
      className="absolute right-0 top-10 z-40 w-[26rem] max-w-[90vw] rounded-xl border border-line bg-panel shadow-xl"
    >
      <div className="flex items-center gap-2 border-b border-line px-4 py-2 text-sm">
        <span className="font-semibold">{t('title')}</span>
        <span className="text-muted">{t('unread', { count: fmt.count(unread) })}</span>
        <button
          type="button"
          onClick={() => markRead()}
          disabled={unread === 0}
          className="ml-auto rounded-md px-2 py-1 text-xs text-muted hover:bg-raised disabled:opacity-40"
        >
          {t('markAllRead')}
        </button>
      </div>
      <ul className="max-h-[60vh] overflow-y-auto">
        {alerts.length === 0 && <li className="px-4 py-6 text-center text-sm text-muted">{t('empty')}</li>}
        {alerts.map((a) => (
          <li key={a.id} data-testid="alert-item" className={`border-b border-line/60 ${a.readAt ? '' : 'bg-accent/5'}`}>
            <Link
              href={a.link}
              onClick={() => {
                if (!a.readAt) markRead([a.id]);
                onNavigate();
              }}
              className="flex gap-3 px-4 py-2.5 hover:bg-raised"
            >
              <span aria-hidden className={`mt-1.5 h-2 w-2 shrink-0 rounded-full ${SEVERITY[a.severity]}`} />
              <span className="min-w-0 flex-1">
                <span className="flex items-baseline gap-2 text-sm">
                  <span className={a.readAt ? '' : 'font-semibold'}>{texts.alertRuleName(a)}</span>
                  <span translate="no" className="truncate font-mono text-xs text-muted">
                    {a.run ?? a.host}
                  </span>
                  {a.resolvedAt && (
                    <span className="ml-auto text-xs text-emerald-600 dark:text-emerald-400">{t('resolved')}</span>
                  )}
                </span>
                <span className="block truncate text-xs text-muted" title={texts.alertMessageText(a)}>
                  {texts.alertMessage(a)}
                </span>
                <span className="block text-[0.7rem] text-faint">{now ? fmt.ago(a.raisedAt, now) : ''}</span>
              </span>
            </Link>
          </li>
        ))}
      </ul>
      {desktopSupported() && (
        <div className="px-4 py-2 text-xs">
          <button
            type="button"
            onClick={() => {
              if (desktop) {
                disableDesktop();
                setDesktop(false);
              } else void enableDesktop().then(setDesktop);
            }}
            className="text-accent hover:underline"
          >
            {desktop ? t('desktopOff') : t('desktopOn')}
          </button>
        </div>
      )}
    </div>
  );
}
