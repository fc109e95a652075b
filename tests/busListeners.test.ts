/**
 * System samples go through PostgreSQL only while another instance listens: a lone
 * instance keeps a thousand hosts' samples a second off the database, a second instance
 * that starts gets them at once, and one that leaves stops them within a count's period.
 * What the database carries is read by a plain LISTEN connection of the test's own.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { simulatedSample } from '../bench/lib/simulatedHost';
import { silentLogger } from '../src/lib/logger';
import { EventBus } from '../src/server/services/eventBus';
import { setupTestDatabase } from './helpers/fixtures';
import { until } from './kit/until';

const db = setupTestDatabase();
let pool: pg.Pool;
let spy: pg.Client;
const heard: string[] = [];
let hostCount = 0;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  spy = new pg.Client({ connectionString: db.url });
  await spy.connect();
  spy.on('notification', (n) => heard.push(n.payload ?? ''));
  await spy.query('LISTEN cvsm_events');
});

afterAll(async () => {
  await spy?.end();
  await pool?.end();
});

/**
 * Publishes a sample and then a control message through `bus`; notifications arrive in the
 * order sent, so once the control message is heard, the sample was heard too if it was sent.
 */
async function sampleReachesDatabase(bus: EventBus): Promise<boolean> {
  const host = `bus-host-${++hostCount}`;
  const marker = `marker-${hostCount}`;
  bus.publish({ kind: 'system', sample: simulatedSample(host, Date.now(), hostCount) });
  bus.publish({ kind: 'control', experimentId: marker, requestId: hostCount });
  await until(() => heard.some((p) => p.includes(marker)), `the control message ${marker}`);
  return heard.some((p) => p.includes(`"host":"${host}"`));
}

it('notifies system samples only while another instance listens', async () => {
  const first = new EventBus(pool, db.url, silentLogger);
  await first.start();
  try {
    // Alone (the test's own LISTEN holds no lock: it is not an instance).
    expect(first.notifiesSamples).toBe(false);
    expect(await sampleReachesDatabase(first)).toBe(false);

    // A second instance starts: its hello turns the first one's samples on at once.
    const second = new EventBus(pool, db.url, silentLogger);
    await second.start();
    expect(second.notifiesSamples).toBe(true);
    await until(() => first.notifiesSamples, 'the first instance to hear the second');
    const delivered: string[] = [];
    const stop = second.subscribeSystem((m) => m.kind === 'system' && delivered.push(m.sample.host));
    expect(await sampleReachesDatabase(first)).toBe(true);
    await until(() => delivered.length === 1, 'the second instance to deliver the sample');
    stop();

    // It leaves: the next count finds the first one alone again.
    await second.close();
    await until(() => !first.notifiesSamples, 'the first instance to count itself alone', 10_000);
    expect(await sampleReachesDatabase(first)).toBe(false);
  } finally {
    await first.close();
  }
});
