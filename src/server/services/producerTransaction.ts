/**
 * The transaction every producer-numbered write runs in: the session row locked, the
 * producer's high-water mark read under that lock, the work done, the mark moved, commit.
 * A retry of a batch that already committed finds the mark past its numbers and stores
 * nothing; one racing it (a retry after a cut connection) waits for the lock.
 */
import type pg from 'pg';
import { sessionNotFound } from './errors';
import { inTransaction } from './transaction';

export interface ProducerWork<T> {
  /** The value to return, and the producer's new mark (null: nothing was stored). */
  (client: pg.PoolClient, sessionId: number, mark: number): Promise<{ value: T; mark: number | null }>;
}

export function inProducerTransaction<T>(
  pool: pg.Pool,
  experimentId: string,
  producerId: string,
  work: ProducerWork<T>,
): Promise<T> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: number }>('SELECT id FROM training_session WHERE experiment_id = $1 FOR UPDATE', [
      experimentId,
    ]);
    if (!rows[0]) throw sessionNotFound(experimentId);
    const sessionId = rows[0].id;
    // Read once the lock is held, in a statement of its own: a concurrent try of the same
    // batch that locked first has committed its mark.
    const { rows: marks } = await client.query<{ mark: string }>(
      'SELECT last_seq AS mark FROM ingest_producer WHERE session_id = $1 AND producer_id = $2',
      [sessionId, producerId],
    );
    const { value, mark } = await work(client, sessionId, marks[0] ? Number(marks[0].mark) : 0);
    if (mark !== null) {
      await client.query(
        `INSERT INTO ingest_producer (session_id, producer_id, last_seq, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (session_id, producer_id) DO UPDATE SET last_seq = EXCLUDED.last_seq, updated_at = now()`,
        [sessionId, producerId, mark],
      );
    }
    return value;
  });
}
