'use client';
import { useTranslations } from 'next-intl';
import type { SessionInfo } from '@/shared/types';
import { useNow } from '../useNow';
import { ActiveRuns } from './ActiveRuns';
import { HostCard } from './HostCard';
import { useHostSeries } from './useHostSeries';

export function Overview({ activeRuns }: { activeRuns: SessionInfo[] }) {
  const t = useTranslations('overview');
  const now = useNow();
  const { hosts, loading, series, version } = useHostSeries();
  const known = new Map((hosts ?? []).map((h) => [h.host, h]));
  // Hosts heard live but not yet in the list (a new collector) are shown too.
  const names = [...new Set([...known.keys(), ...series.keys()])].sort();

  return (
    <main className="mx-auto max-w-[1600px] space-y-8 px-4 py-6">
      <section aria-labelledby="runs-heading">
        <h2 id="runs-heading" className="mb-3 text-sm font-semibold uppercase tracking-wide text-muted">
          {t('activeRuns')}
        </h2>
        <ActiveRuns initial={activeRuns} now={now} />
      </section>

      <section aria-labelledby="hosts-heading">
        <h2 id="hosts-heading" className="mb-3 text-sm font-semibold uppercase tracking-wide text-muted">
          {t('hosts')}
        </h2>
        {names.length === 0 ? (
          <p className="rounded-xl border border-dashed border-line p-6 text-sm text-muted">
            {loading ? t('loadingHosts') : t.rich('noHosts', { code: (text) => <code className="font-mono">{text}</code> })}
          </p>
        ) : (
          <div className="space-y-4">
            {names.map((host) => {
              const h = known.get(host);
              const data = series.get(host);
              if (!data) return null;
              const lastSample = data.latest ? new Date(data.latest.timestamp) : null;
              const lastSeenAt = h && (!lastSample || h.lastSeenAt > lastSample) ? h.lastSeenAt : lastSample;
              const online = lastSeenAt ? now - lastSeenAt.getTime() < 5000 + 1000 : false;
              return (
                <HostCard
                  key={host}
                  host={host}
                  online={online || (h?.online ?? false)}
                  lastSeenAt={lastSeenAt}
                  data={data}
                  version={version}
                  now={now}
                />
              );
            })}
          </div>
        )}
      </section>
    </main>
  );
}
