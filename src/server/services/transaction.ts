/** A transaction on a client of its own, for writes that take more than one statement. */
import type pg from 'pg';

/**
 * Runs `work` between BEGIN and COMMIT on a client checked out of `pool`; rolls back and
 * rethrows when it throws. The client goes back to the pool either way.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A checked-out client has no listener of the pool's: a connection lost between two
  // statements (the database stopping) would be an unhandled 'error' and end the process.
  let lost: Error | undefined;
  const onLost = (error: Error) => (lost = error);
  client.on('error', onLost);
  try {
    return await transactionOn(client, () => work(client));
  } finally {
    client.off('error', onLost);
    // A broken connection is discarded rather than handed to the next caller.
    client.release(lost);
  }
}

/** Runs `work` between BEGIN and COMMIT on a client the caller holds; rolls back and rethrows when it throws. */
export async function transactionOn<T>(client: pg.PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const value = await work();
    await client.query('COMMIT');
    return value;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
