'use client';
/**
 * The page of one run. The server rendered it with the run as of that moment; from its last
 * event on, the run's event stream keeps the header, charts and log current.
 */
import { useTranslations } from 'next-intl';
import { useEffect, useMemo, useState } from 'react';
import type { SeriesAxis } from '@/shared/schemas/queries';
import type { LogEntry, MetricReport, SessionInfo, StatusChangeEntry } from '@/shared/types';
import { api } from '@/trpc/react';
import { higherIsBetter, mainMetric } from '../runs/metricGroups';
import { useRunEvents } from '../runs/useRunEvents';
import { useNow } from '../useNow';
import { ConfigTree } from './ConfigTree';
import { HostLoadPanel } from './HostLoadPanel';
import { LogViewer } from './LogViewer';
import { MetricsPanel } from './MetricsPanel';
import { RunFeed } from './runFeed';
import { RunHeader, type Best } from './RunHeader';

export function TrainingMonitor({
  initial,
  initialNames,
  defaultAxis,
  alertAt,
}: {
  initial: SessionInfo;
  initialNames: string[];
  defaultAxis: SeriesAxis;
  /** Opened from an alert's link: the time to mark on the charts. */
  alertAt?: number;
}) {
  const t = useTranslations('run');
  const now = useNow();
  const [feed] = useState(() => new RunFeed());
  const [session, setSession] = useState(initial);
  const [deleted, setDeleted] = useState(false);
  const [liveStatuses, setLiveStatuses] = useState<StatusChangeEntry[]>([]);
  const history = api.session.statusHistory.useQuery({ experimentId: initial.experimentId }, { staleTime: Infinity });
  const names = api.metric.names.useQuery(
    { experimentId: initial.experimentId },
    { staleTime: Infinity, initialData: initialNames },
  );

  // lastSeenAt moves with heartbeats, which are not events: a light poll keeps "stalled" honest.
  const polled = api.session.get.useQuery({ experimentId: initial.experimentId }, { refetchInterval: 5000, enabled: !deleted });

  const stream = useRunEvents(
    initial.experimentId,
    { sessionId: initial.id, seq: initial.lastSeq },
    {
      onEvents: (events) => {
        const metrics: MetricReport[] = [];
        const logs: LogEntry[] = [];
        const statuses: StatusChangeEntry[] = [];
        for (const e of events) {
          if (e.type === 'metrics') metrics.push(e.data);
          else if (e.type === 'log') logs.push(e.data);
          else statuses.push(e.data);
        }
        const last = events.at(-1)!;
        setSession((s) => {
          const next = { ...s, lastSeq: last.seq };
          const lastTime = last.data.timestamp;
          if (!next.lastSeenAt || lastTime > next.lastSeenAt) next.lastSeenAt = lastTime;
          const lastReport = metrics.at(-1);
          if (lastReport) next.currentEpoch = lastReport.epoch;
          next.metricsCount += metrics.length;
          next.logCount += logs.length;
          for (const st of statuses) {
            next.status = st.status;
            next.totalEpochs = st.totalEpochs;
            next.startedAt = st.startedAt;
            next.endedAt = st.endedAt;
          }
          return next;
        });
        feed.metrics.push(metrics);
        feed.logs.push(logs);
        feed.statuses.push(statuses);
        if (statuses.length) setLiveStatuses((old) => [...old, ...statuses]);
      },
      onDeleted: () => setDeleted(true),
    },
  );

  const statuses = useMemo(() => {
    const base = history.data ?? [];
    const lastSeq = base.at(-1)?.seq ?? 0;
    return [...base, ...liveStatuses.filter((s) => s.seq > lastSeq)];
  }, [history.data, liveStatuses]);

  // The live state, with what only the poll knows (heartbeats, a config sent later).
  const p = polled.data;
  const shown: SessionInfo =
    p && p.id === session.id
      ? {
          ...session,
          lastSeenAt:
            p.lastSeenAt && (!session.lastSeenAt || p.lastSeenAt > session.lastSeenAt) ? p.lastSeenAt : session.lastSeenAt,
          config: p.config,
          host: p.host,
        }
      : session;

  const best = useBest(initial.experimentId, names.data ?? [], feed);

  if (deleted) {
    return (
      <main className="mx-auto max-w-3xl px-4 py-16 text-center">
        <h1 className="text-lg font-semibold">{t('deleted')}</h1>
      </main>
    );
  }

  return (
    <main
      className="mx-auto max-w-[1600px] space-y-4 px-4 py-4"
      data-testid="monitor"
      data-stream-from={stream.from}
      data-stream-received={stream.received}
      data-stream-duplicates={stream.duplicates}
      data-stream-gaps={stream.gaps}
      data-stream-last-seq={stream.lastSeq}
    >
      <RunHeader session={shown} best={best} now={now} />
      <div className="grid gap-4 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <MetricsPanel
          experimentId={session.experimentId}
          initialNames={initialNames}
          feed={feed}
          statuses={statuses}
          defaultAxis={defaultAxis}
          alertAt={alertAt}
        />
        <aside className="space-y-4">
          <HostLoadPanel session={shown} />
          <ConfigTree config={shown.config} />
        </aside>
      </div>
      <div className="h-[32rem]">
        <LogViewer experimentId={session.experimentId} feed={feed} />
      </div>
    </main>
  );
}

/** The best value of the run's main metric so far, and the epoch it came in. */
function useBest(experimentId: string, names: string[], feed: RunFeed): Best | null {
  const main = mainMetric(names);
  const up = main ? higherIsBetter(main) : true;
  const series = api.metric.series.useQuery(
    { experimentId, names: main ? [main] : [], x: 'epoch', maxPoints: 2000 },
    { enabled: !!main, staleTime: Infinity },
  );
  const [live, setLive] = useState<Best | null>(null);
  const loaded = series.data;
  const fromLoad = useMemo<Best | null>(() => {
    const s = loaded?.series[0];
    if (!s || !main) return null;
    let best: Best | null = null;
    s.x.forEach((x, i) => {
      const v = up ? s.max[i] : s.min[i];
      if (v === null || v === undefined) return;
      if (!best || (up ? v > best.value : v < best.value)) best = { name: main, value: v, epoch: Math.round(x) };
    });
    return best;
  }, [loaded, main, up]);

  useEffect(() => {
    if (!loaded || !main) return;
    return feed.metrics.follow(loaded.throughSeq, (reports) => {
      for (const r of reports) {
        const v = r.values[main];
        if (v === undefined || !Number.isFinite(v)) continue;
        setLive((b) => (!b || (up ? v > b.value : v < b.value) ? { name: main, value: v, epoch: r.epoch } : b));
      }
    });
  }, [loaded, main, up, feed]);

  if (!fromLoad) return live;
  if (!live) return fromLoad;
  return (up ? live.value > fromLoad.value : live.value < fromLoad.value) ? live : fromLoad;
}
