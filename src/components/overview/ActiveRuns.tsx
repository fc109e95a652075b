'use client';
import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { TERMINAL_STATUSES } from '@/shared/vocabulary';
import type { SessionInfo } from '@/shared/types';
import { api } from '@/trpc/react';
import { ProgressBar } from '../ProgressBar';
import { isStalled, StatusBadge } from '../StatusBadge';
import { keyMetrics } from '../runs/metricGroups';
import { useRunEvents } from '../runs/useRunEvents';
import { useSessionList } from '../runs/useSessionList';
import { useFormat } from '../useFormat';
import { codeTag } from '../richTags';

const isActive = (s: SessionInfo) => !TERMINAL_STATUSES.includes(s.status);
export const ACTIVE_QUERY = { status: ['running' as const, 'paused' as const, 'queued' as const], limit: 24 };

function ActiveRunCard({ initial, now }: { initial: SessionInfo; now: number }) {
  const t = useTranslations('overview');
  const fmt = useFormat();
  const [session, setSession] = useState(initial);
  const [live, setLive] = useState<Record<string, number>>({});
  const recent = api.metric.list.useQuery({ experimentId: initial.experimentId, limit: 50 });
  useRunEvents(
    initial.experimentId,
    { sessionId: initial.id, seq: initial.lastSeq },
    {
      onEvents: (events) => {
        const values: Record<string, number> = {};
        let epoch: number | null = null;
        let seenAt: Date | null = null;
        for (const e of events) {
          if (e.type === 'metrics') {
            Object.assign(values, e.data.values);
            epoch = e.data.epoch;
          }
          if (e.type === 'status') setSession((s) => ({ ...s, status: e.data.status, totalEpochs: e.data.totalEpochs }));
          seenAt = e.data.timestamp;
        }
        if (Object.keys(values).length) setLive((v) => ({ ...v, ...values }));
        setSession((s) => ({
          ...s,
          currentEpoch: epoch ?? s.currentEpoch,
          lastSeenAt: seenAt && (!s.lastSeenAt || seenAt > s.lastSeenAt) ? seenAt : s.lastSeenAt,
        }));
      },
    },
  );
  const latest: Record<string, number> = {};
  for (const r of recent.data ?? []) Object.assign(latest, r.values);
  Object.assign(latest, live);
  const shown = keyMetrics(Object.keys(latest), 3);
  const started = session.startedAt ?? session.createdAt;

  return (
    <Link
      href={`/sessions/${encodeURIComponent(session.experimentId)}`}
      data-testid="active-run"
      data-experiment={session.experimentId}
      className="group block rounded-xl border border-line bg-panel p-4 transition-colors hover:border-accent/60"
    >
      <div className="flex items-center gap-2">
        <span className="truncate font-mono text-sm font-semibold group-hover:text-accent" translate="no">
          {session.experimentId}
        </span>
        <span className="ml-auto">
          <StatusBadge status={session.status} stalled={isStalled(session, now)} />
        </span>
      </div>
      <div className="mt-3 flex items-center justify-between text-xs text-muted">
        <span>
          {t.rich('epoch', {
            done: session.currentEpoch,
            total: session.totalEpochs || '?',
            value: (text) => <span className="font-mono text-fg">{text}</span>,
          })}
        </span>
        {session.host ? <span translate="no">{session.host}</span> : <span>{t('unknownHost')}</span>}
      </div>
      <div className="mt-1.5">
        <ProgressBar
          value={session.currentEpoch}
          total={session.totalEpochs}
          label={t('epochProgress', { id: session.experimentId })}
        />
      </div>
      <dl className="mt-3 grid grid-cols-3 gap-2">
        {shown.map((name) => (
          <div key={name} className="min-w-0">
            <dt className="truncate text-[0.7rem] text-muted" title={name} translate="no">
              {name}
            </dt>
            <dd className="font-mono text-sm tabular-nums">{fmt.metric(latest[name])}</dd>
          </div>
        ))}
      </dl>
      <div className="mt-3 flex justify-between text-[0.7rem] text-faint">
        <span>
          {session.startedAt
            ? t('runningFor', { duration: fmt.duration(now - started.getTime()) })
            : t('queuedAgo', { ago: fmt.ago(session.createdAt, now) })}
        </span>
        <span>{t('seen', { ago: fmt.ago(session.lastSeenAt, now) })}</span>
      </div>
    </Link>
  );
}

export function ActiveRuns({ initial, now }: { initial: SessionInfo[]; now: number }) {
  const t = useTranslations('overview');
  const [sessions] = useSessionList(initial.filter(isActive), ACTIVE_QUERY, isActive);
  if (sessions.length === 0) {
    return (
      <p className="rounded-xl border border-dashed border-line p-6 text-sm text-muted">
        {t.rich('noActiveRuns', { code: codeTag('font-mono') })}
      </p>
    );
  }
  return (
    <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
      {sessions.map((s) => (
        <ActiveRunCard key={`${s.id}`} initial={s} now={now} />
      ))}
    </div>
  );
}
