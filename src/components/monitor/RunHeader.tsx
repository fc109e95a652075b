'use client';
import { useTranslations } from 'next-intl';
import type { SessionInfo } from '@/shared/types';
import { ProgressBar } from '../ProgressBar';
import { isStalled, StatusBadge } from '../StatusBadge';
import { useFormat } from '../useFormat';
import { RunControls } from './RunControls';

export interface Best {
  name: string;
  value: number;
  epoch: number;
}

function Stat({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-[0.7rem] uppercase tracking-wide text-muted">{label}</dt>
      <dd className="mt-0.5 truncate font-mono text-sm tabular-nums" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

export function RunHeader({ session, best, now }: { session: SessionInfo; best: Best | null; now: number }) {
  const t = useTranslations('run');
  const fmt = useFormat();
  const started = session.startedAt;
  const end = session.endedAt ?? (now ? new Date(now) : null);
  const elapsed = started && end ? end.getTime() - started.getTime() : null;
  const done = session.currentEpoch;
  const total = session.totalEpochs;
  // ETA from the observed rate: time so far per epoch completed, times the epochs left.
  const eta =
    session.status === 'running' && elapsed !== null && done > 0 && total > done ? (elapsed / done) * (total - done) : null;
  const stalled = isStalled(session, now);

  return (
    <section className="rounded-xl border border-line bg-panel p-4" aria-label={t('summary')}>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="min-w-0 truncate font-mono text-lg font-semibold" title={session.experimentId} translate="no">
          {session.experimentId}
        </h1>
        <StatusBadge status={session.status} stalled={stalled} />
        {stalled && now > 0 && (
          <span className="text-xs text-orange-600 dark:text-orange-400">
            {t('silentFor', { duration: fmt.duration(now - (session.lastSeenAt ?? session.updatedAt).getTime()) })}
          </span>
        )}
        <div className="ml-auto">
          <RunControls experimentId={session.experimentId} status={session.status} />
        </div>
      </div>
      <div className="mt-4 grid items-end gap-x-6 gap-y-3 sm:grid-cols-2 lg:grid-cols-[minmax(14rem,2fr)_repeat(5,minmax(0,1fr))]">
        <div>
          <div className="mb-1 flex justify-between text-xs text-muted">
            <span>
              {t.rich('epoch', {
                done,
                total: total || '?',
                value: (text) => (
                  <span className="font-mono text-sm text-fg" data-testid="epoch">
                    {text}
                  </span>
                ),
              })}
            </span>
            <span>{total ? `${Math.floor((done / total) * 100)}%` : ''}</span>
          </div>
          <ProgressBar value={done} total={total} label={t('epochProgress')} />
        </div>
        <dl className="contents">
          <Stat label={t('elapsed')}>{fmt.duration(elapsed)}</Stat>
          <Stat label={t('eta')}>{eta === null ? '–' : fmt.duration(eta)}</Stat>
          <Stat label={best ? t('bestOf', { name: best.name }) : t('best')} testId="best">
            {best ? (
              <>
                {fmt.metric(best.value)} <span className="text-xs text-muted">{t('atEpoch', { epoch: best.epoch })}</span>
              </>
            ) : (
              '–'
            )}
          </Stat>
          <Stat label={t('started')}>{fmt.dateTime(started ?? session.createdAt)}</Stat>
          <Stat label={t('lastSeen')}>{now ? fmt.ago(session.lastSeenAt, now) : '–'}</Stat>
        </dl>
      </div>
      {session.host && (
        <p className="mt-3 text-xs text-muted">
          {t.rich('onHost', { host: session.host, name: (text) => <span translate="no">{text}</span> })}
        </p>
      )}
    </section>
  );
}
