/**
 * A buffer between a publisher that must never wait and one consumer that takes everything
 * buffered at once: a subscriber that falls behind receives one larger batch instead of a
 * backlog of small ones.
 */
export class LiveQueue<T> {
  private items: T[] = [];
  private wake: (() => void) | null = null;
  private ended = false;
  private watched: AbortSignal | null = null;

  push(item: T): void {
    if (this.ended) return;
    this.items.push(item);
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  get size(): number {
    return this.items.length;
  }

  /** Waits for at least one item; returns all buffered items, or null once ended or aborted. */
  async takeAll(signal?: AbortSignal): Promise<T[] | null> {
    if (signal && signal !== this.watched) {
      // One listener per queue, not one per wait: a busy stream waits hundreds of times a second.
      this.watched = signal;
      signal.addEventListener('abort', () => this.wake?.(), { once: true });
    }
    while (this.items.length === 0) {
      if (this.ended || signal?.aborted) return null;
      await new Promise<void>((resolve) => {
        this.wake = () => {
          this.wake = null;
          resolve();
        };
      });
    }
    const items = this.items;
    this.items = [];
    return items;
  }
}

/**
 * What `subscribe` delivers from the first read on, through a LiveQueue, until the signal
 * aborts or the reader stops; then it unsubscribes.
 */
export async function* liveItems<T>(subscribe: (push: (item: T) => void) => () => void, signal?: AbortSignal): AsyncGenerator<T> {
  const queue = new LiveQueue<T>();
  const unsubscribe = subscribe((item) => queue.push(item));
  try {
    for (;;) {
      const items = await queue.takeAll(signal);
      if (!items) return;
      yield* items;
    }
  } finally {
    unsubscribe();
    queue.end();
  }
}
