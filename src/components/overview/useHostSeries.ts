'use client';
/**
 * Every host's rolling series: the last few minutes from system.history when a host first
 * appears, then each sample of system.live as it arrives (1 Hz).
 */
import { useCallback, useEffect, useState } from 'react';
import { api } from '@/trpc/react';
import { HostSeries } from './systemSeries';

export const WINDOW_MS = 5 * 60_000;

export function useHostSeries() {
  // Mutable on purpose: samples are appended in place and `version` announces them.
  const [store] = useState(() => new Map<string, HostSeries>());
  const [version, setVersion] = useState(0);
  const utils = api.useUtils();
  const hosts = api.system.hosts.useQuery(undefined, { refetchInterval: 5000, staleTime: 0 });

  const hostSeries = useCallback(
    (host: string) => {
      let h = store.get(host);
      if (!h) {
        h = new HostSeries(WINDOW_MS);
        store.set(host, h);
        const from = new Date(Date.now() - WINDOW_MS);
        void utils.system.history.fetch({ host, from, maxPoints: 300 }).then((res) => {
          h!.prepend(res.series);
          setVersion((v) => v + 1);
        });
      }
      return h;
    },
    [store, utils],
  );

  api.system.live.useSubscription(
    {},
    {
      onData: (sample) => {
        hostSeries(sample.host).push(sample);
        setVersion((v) => v + 1);
      },
    },
  );

  // Hosts known to the server but silent right now still get their history.
  useEffect(() => {
    for (const h of hosts.data ?? []) hostSeries(h.host);
  }, [hosts.data, hostSeries]);

  return { hosts: hosts.data, loading: hosts.isLoading, series: store, version };
}
