/**
 * Calls a function once every wall-clock second, at a fixed phase within it. Each timer is
 * set from the clock (time to the next boundary), never as "1 s after the last tick
 * finished", so work done in a tick cannot make the period drift.
 *
 * The phase spreads a fleet's reports over the second. Hosts kept in step by NTP would
 * otherwise all sample and send on the same millisecond, and a server with a thousand of
 * them would take every report of a second in one burst (a thousand reports queued behind
 * each other) rather than a few at a time (as Prometheus spreads its scrapes by target).
 */
import { createHash } from 'node:crypto';

export interface Ticker {
  stop(): void;
}

/** Phases are kept inside the first 900 ms, so a tick late by a busy event loop still lands in its second. */
export const PHASE_SPAN_MS = 900;

/** A host's phase: fixed for its name, spread evenly over hosts. */
export function phaseForHost(host: string): number {
  return createHash('sha1').update(host).digest().readUInt32BE(0) % PHASE_SPAN_MS;
}

/**
 * `onTick(at)` with `at` the whole second (epoch ms), called `phaseMs` after it. A tick
 * missed by a blocked event loop is skipped, not made up.
 */
export function everyWholeSecond(onTick: (at: number) => void, phaseMs = 0, periodMs = 1000): Ticker {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let last = -Infinity;

  const arm = () => {
    if (stopped) return;
    const now = Date.now() - phaseMs;
    const next = Math.max(Math.floor(now / periodMs) + 1, Math.floor(last / periodMs) + 1) * periodMs;
    timer = setTimeout(() => fire(next), next - now);
  };
  const fire = (target: number) => {
    if (stopped) return;
    // Timers may fire a millisecond early by the wall clock; wait for the moment itself.
    const early = target + phaseMs - Date.now();
    if (early > 0) {
      timer = setTimeout(() => fire(target), early);
      return;
    }
    last = target;
    try {
      onTick(target);
    } finally {
      arm();
    }
  };

  arm();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
