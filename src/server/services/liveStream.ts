import { LiveQueue } from './liveQueue';

/**
 * What a subscription pushes, as an async stream: the publisher never waits (a LiveQueue
 * sits between), and the subscription ends with the stream, when the consumer stops or the
 * signal aborts.
 */
export async function* liveStream<T>(
  subscribe: (push: (item: T) => void) => () => void,
  signal?: AbortSignal,
): AsyncGenerator<T> {
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
