'use client';
import { TERMINAL_STATUSES } from '@/shared/vocabulary';
import type { SessionInfo } from '@/shared/types';
import { api } from '@/trpc/react';
import { useFormat } from '../useFormat';
import { keyMetrics } from './metricGroups';

/** A run's key metrics, latest values, refreshed while it is active. */
export function LatestMetrics({ session }: { session: SessionInfo }) {
  const fmt = useFormat();
  const active = !TERMINAL_STATUSES.includes(session.status);
  const recent = api.metric.list.useQuery(
    { experimentId: session.experimentId, limit: 20 },
    { enabled: session.metricsCount > 0, refetchInterval: active ? 5000 : false },
  );
  const latest: Record<string, number> = {};
  for (const r of recent.data ?? []) Object.assign(latest, r.values);
  const names = keyMetrics(Object.keys(latest), 3);
  if (!names.length) return <span className="text-faint">–</span>;
  return (
    <span className="flex flex-wrap gap-x-3 gap-y-0.5">
      {names.map((n) => (
        <span key={n} className="whitespace-nowrap">
          <span className="text-muted" translate="no">
            {n}
          </span>{' '}
          <span className="font-mono tabular-nums">{fmt.metric(latest[n])}</span>
        </span>
      ))}
    </span>
  );
}
