'use client';
import { useSyncExternalStore } from 'react';

/**
 * The current time, ticking once a second, for "ago" labels, elapsed times and stall checks.
 * Server rendering and hydration see 0 (time-dependent text renders as "–"), so the server's
 * clock never disagrees with the browser's.
 */
let now = 0;
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

export function useNow(): number {
  return useSyncExternalStore(
    subscribe,
    () => now,
    () => 0,
  );
}
