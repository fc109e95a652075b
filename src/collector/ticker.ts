/**
 * Calls a function on every whole wall-clock second. Each timer is set from the clock
 * (time to the next boundary), never as "1 s after the last tick finished", so work done
 * in a tick cannot make the period drift.
 */
export interface Ticker {
  stop(): void;
}

/** `onTick(at)` with `at` the boundary (epoch ms). A tick missed by a blocked event loop is skipped, not made up. */
export function everyWholeSecond(onTick: (at: number) => void, periodMs = 1000): Ticker {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let last = -Infinity;

  const arm = () => {
    if (stopped) return;
    const now = Date.now();
    const next = Math.max(Math.floor(now / periodMs) + 1, Math.floor(last / periodMs) + 1) * periodMs;
    timer = setTimeout(() => fire(next), next - now);
  };
  const fire = (target: number) => {
    if (stopped) return;
    // Timers may fire a millisecond early by the wall clock; wait for the boundary itself.
    const early = target - Date.now();
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
