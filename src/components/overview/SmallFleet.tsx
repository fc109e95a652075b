'use client';
/** A card per host with rolling charts: for a few hosts (a thousand would be too many to draw). */
import { useNow } from '../useNow';
import { HostCard } from './HostCard';
import { useHostSeries } from './useHostSeries';

export function SmallFleet() {
  const now = useNow();
  const { hosts, series, version } = useHostSeries();
  const known = new Map((hosts ?? []).map((h) => [h.host, h]));
  // Hosts heard live but not yet in the list (a new collector) are shown too.
  const names = [...new Set([...known.keys(), ...series.keys()])].sort();
  return (
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
  );
}
