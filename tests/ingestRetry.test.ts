import { expect, it } from 'vitest';
import type { IngestEvent } from '../src/shared/schemas/events';
import { setupTestServices } from './helpers/fixtures';

const services = setupTestServices();

const batch = (from: number, to: number): IngestEvent[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({
    type: 'log',
    level: 'INFO',
    source: 'trainer',
    message: `line ${from + i}`,
    producerSeq: from + i,
  }));

it('stores a batch once when its retry arrives while the first try is still being written', async () => {
  // A client whose connection was cut retries at once; the server may still be writing the first try.
  await services.sessions.create({ experimentId: 'retry-race' });
  await services.store.append('retry-race', batch(1, 100), 'producer-a');
  for (let round = 0; round < 10; round++) {
    const from = 101 + round * 100;
    const tries = await Promise.all(
      [1, 2, 3].map(() => services.store.append('retry-race', batch(from, from + 99), 'producer-a')),
    );
    expect(tries.reduce((n, t) => n + t.events.length, 0)).toBe(100);
  }
  const { rows } = await services.db.pool.query<{ n: string; distinct_messages: string }>(
    'SELECT count(*) AS n, count(DISTINCT message) AS distinct_messages FROM log_entry',
  );
  expect(rows[0]).toEqual({ n: '1100', distinct_messages: '1100' });
});
