/**
 * An event is acknowledged only once PostgreSQL committed it: writers ingest at full speed
 * over tRPC and REST, the server is killed with SIGKILL mid-stream and started again on the
 * same database, and every acknowledged event is there exactly once. The batches that were
 * in flight at the kill, sent again, are stored once too.
 */
import { expect, it } from 'vitest';
import type { IngestBatchInput } from '../src/shared/schemas/events';
import { setupServerProcess } from './helpers/fixtures';
import { call } from './helpers/plain';
import { httpClient } from './helpers/server';
import { until } from './kit/until';

const server = setupServerProcess();

const RUN = 'durable';
const BATCH = 200;

interface Writer {
  acked: string[];
  /** The batch whose answer never came (the server died under it), if any. */
  unanswered: IngestBatchInput | null;
  done: Promise<void>;
}

/** A producer sending batches back to back until a request fails. */
function ingestWriter(name: string): Writer {
  const client = httpClient(server);
  const writer: Writer = { acked: [], unanswered: null, done: Promise.resolve() };
  writer.done = (async () => {
    for (let next = 1; ; next += BATCH) {
      const batch: IngestBatchInput = {
        experimentId: RUN,
        producer: { id: name },
        events: Array.from({ length: BATCH }, (_, i) => ({
          type: 'log' as const,
          level: 'INFO' as const,
          source: 'trainer',
          message: `${name}:${next + i}`,
          producerSeq: next + i,
        })),
      };
      try {
        await client.session.ingest.mutate(batch);
      } catch {
        writer.unanswered = batch;
        return;
      }
      writer.acked.push(...batch.events.map((e) => (e.type === 'log' ? e.message : '')));
    }
  })();
  return writer;
}

/** The older clients' way: one line per POST, no producer numbering. */
function restWriter(name: string): Writer {
  const writer: Writer = { acked: [], unanswered: null, done: Promise.resolve() };
  writer.done = (async () => {
    for (let n = 1; ; n++) {
      const message = `${name}:${n}`;
      try {
        const answer = await call(server.url, 'POST', `/api/v1/training/logs/${RUN}/log`, { level: 'INFO', message });
        if (answer.status !== 200) return;
      } catch {
        return;
      }
      writer.acked.push(message);
    }
  })();
  return writer;
}

async function storedMessages(): Promise<Map<string, number>> {
  const { rows } = await server.db.sql.query<{ message: string; n: number }>(
    `SELECT message, count(*)::int AS n FROM log_entry l JOIN training_session s ON s.id = l.session_id
      WHERE s.experiment_id = $1 GROUP BY message`,
    [RUN],
  );
  return new Map(rows.map((r) => [r.message, r.n]));
}

it('keeps every acknowledged event, once, across a kill -9 mid-stream', async () => {
  await httpClient(server).session.create.mutate({ experimentId: RUN });
  const writers = [ingestWriter('a'), ingestWriter('b'), ingestWriter('c'), restWriter('rest')];
  const acked = () => writers.reduce((sum, w) => sum + w.acked.length, 0);

  await until(() => acked() >= 3000 && writers[3]!.acked.length >= 50, 'writers to be well under way', 60_000);
  await server.kill();
  await Promise.all(writers.map((w) => w.done));
  await server.start();

  let stored = await storedMessages();
  for (const w of writers) {
    for (const message of w.acked) {
      if (stored.get(message) !== 1) expect.fail(`acknowledged ${message} is stored ${stored.get(message) ?? 0} times`);
    }
  }
  expect([...stored.values()].every((n) => n === 1)).toBe(true);
  // Sequence numbers stay unique: no double from the transactions the kill cut.
  const { rows } = await server.db.sql.query<{ n: number; distinct_seq: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT seq)::int AS distinct_seq
       FROM log_entry l JOIN training_session s ON s.id = l.session_id WHERE s.experiment_id = $1`,
    [RUN],
  );
  expect(rows[0]!.distinct_seq).toBe(rows[0]!.n);

  // A trainer retries what went unanswered; what the server had committed is not stored twice.
  const client = httpClient(server);
  const retried = writers.flatMap((w) => (w.unanswered ? [w.unanswered] : []));
  expect(retried.length).toBeGreaterThan(0);
  for (const batch of retried) await client.session.ingest.mutate(batch);
  stored = await storedMessages();
  for (const batch of retried) {
    for (const e of batch.events) expect(e.type === 'log' && stored.get(e.message)).toBe(1);
  }
  expect([...stored.values()].every((n) => n === 1)).toBe(true);
  // Beyond those, at most the REST line whose answer the kill cut (committed or not).
  expect(stored.size - (acked() + retried.length * BATCH)).toBeGreaterThanOrEqual(0);
  expect(stored.size - (acked() + retried.length * BATCH)).toBeLessThanOrEqual(1);
}, 120_000);
