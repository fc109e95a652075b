'use client';
/**
 * One metric of every host over a range ending now (system.fleetHistory), read again once a
 * minute while the page is in view: the minute tier moves no faster, and at 1,000 hosts one
 * answer is a few hundred thousand values. The last answer stays shown while the next loads.
 */
import { useEffect, useState } from 'react';
import type { FleetMetric } from '@/shared/fleetHistory';
import { api } from '@/trpc/react';

export const HISTORY_REFRESH_MS = 60_000;
/**
 * Buckets per host asked for: 24 hours in 10-minute buckets, which the 10-minute tier answers
 * for 1,000 hosts in a few hundred ms (5-minute ones, from the minute tier, take seconds).
 */
export const HISTORY_POINTS = 146;

export function useFleetHistory(metric: FleetMetric, rangeMs: number) {
  // The range's start moves once a minute, so the query's key (and its fetch) does too.
  const [anchor, setAnchor] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') setAnchor(Date.now());
    }, HISTORY_REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  return api.system.fleetHistory.useQuery(
    { metric, from: new Date(anchor - rangeMs), maxPoints: HISTORY_POINTS },
    { placeholderData: (previous) => previous, staleTime: HISTORY_REFRESH_MS, refetchOnWindowFocus: false },
  );
}
