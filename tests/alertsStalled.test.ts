/**
 * "Stalled" told honestly for a run that posts through the REST shim with no heartbeats:
 * judged by its own rhythm (here scaled down: STALL_FLOOR_SECONDS=1 and about a second
 * between epochs stand for ten minutes and several minutes), one rule for badge and alert.
 */
import { describe, expect, it } from 'vitest';
import { setupAlertStack } from './helpers/alertStack';
import { until } from './kit/until';

const s = setupAlertStack({ STALL_FLOOR_SECONDS: '1' });

const messages = (run: string) =>
  s.receiver
    .on('/generic')
    .filter((r) => r.body.run === run)
    .map((r) => ({ ...r.body, event: r.body.event as string | undefined, at: r.at }));

describe('the stalled rule', () => {
  it('stalls a REST-only run only after five times its usual gap, and resolves when it reports', async () => {
    const run = 'rest-epochs';
    await s.rest('POST', '/training/logs/session', { experiment_id: run, total_epochs: 100 });
    await s.rest('PUT', `/training/logs/${run}/status`, { status: 'running' });
    for (let epoch = 1; epoch <= 5; epoch++) {
      await s.rest('POST', `/training/logs/${run}/metrics`, { epoch, metrics: { mAP50: 0.1 * epoch } });
      if (epoch < 5) await new Promise((r) => setTimeout(r, 1000)); // the trainer's epoch time
    }
    const lastAt = Date.now();
    const session = await s.api.session.get.query({ experimentId: run });
    // Four gaps of about a second: stalled after five of them, not after the 1 s floor.
    expect(session.heartbeatAt).toBeNull();
    expect(session.stallAfterMs).toBeGreaterThanOrEqual(5000);
    expect(session.stallAfterMs).toBeLessThan(6000);

    await until(
      () => messages(run).length >= 1,
      'the stalled message',
      30_000,
      () => messages(run),
    );
    const [stalled] = messages(run);
    expect(stalled).toMatchObject({ event: 'raised', rule: { name: 'Run stalled', kind: 'run_stalled' }, subject: `run:${run}` });
    // Not before its own rhythm says so (how soon after is measured in bench/alerts, not asserted).
    expect(stalled!.at - lastAt).toBeGreaterThanOrEqual(session.stallAfterMs);

    await s.rest('POST', `/training/logs/${run}/metrics`, { epoch: 6, metrics: { mAP50: 0.6 } });
    await until(
      () => messages(run).some((m) => m.event === 'resolved'),
      'the resolved message',
      30_000,
      () => messages(run),
    );
    expect(messages(run).map((m) => m.event)).toEqual(['raised', 'resolved']);
    await s.rest('PUT', `/training/logs/${run}/status`, { status: 'completed' });
  }, 90_000);

  it('judges a trainer that sends heartbeats by missed beats instead', async () => {
    await s.api.session.create.mutate({ experimentId: 'sdk-beats' });
    await s.api.session.setStatus.mutate({ experimentId: 'sdk-beats', status: 'running' });
    const beat = await s.api.session.heartbeat.mutate({ experimentId: 'sdk-beats' });
    expect(beat.heartbeatAt).toBeInstanceOf(Date);
    expect(beat.stallAfterMs).toBe(30_000);
    expect((await s.api.session.get.query({ experimentId: 'sdk-beats' })).stallAfterMs).toBe(30_000);
  });
});
