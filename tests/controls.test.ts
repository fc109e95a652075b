import { describe, expect, it } from 'vitest';
import type { ControlCommand } from '../src/shared/schemas/control';
import { setupTestServer } from './helpers/fixtures';
import { httpClient, wsClient } from './helpers/server';

const app = setupTestServer();

/** Collects a control subscription's requests; resolves a wait once enough arrived. */
function collect() {
  const seen: { id: string; data: ControlCommand }[] = [];
  let wake = () => {};
  return {
    seen,
    onData: (t: { id: string; data: ControlCommand }) => {
      seen.push(t);
      wake();
    },
    async until(n: number) {
      while (seen.length < n) await new Promise<void>((resolve) => (wake = resolve));
    },
  };
}

const acknowledged = async (experimentId: string) =>
  (
    await app.db.sql.query<{ action: string; acked: boolean }>(
      `SELECT c.action, c.acknowledged_at IS NOT NULL AS acked FROM control_request c
         JOIN training_session s ON s.id = c.session_id WHERE s.experiment_id = $1 ORDER BY c.id`,
      [experimentId],
    )
  ).rows;

describe('control requests', () => {
  it('refuses a request for an unknown run', async () => {
    await expect(httpClient(app).session.requestControl.mutate({ experimentId: 'ghost', action: 'stop' })).rejects.toMatchObject({
      data: { code: 'NOT_FOUND' },
    });
  });

  it('delivers pending requests first, then live ones, and a status change acknowledges them', async () => {
    const api = httpClient(app);
    await api.session.create.mutate({ experimentId: 'ctl-1' });
    await api.session.setStatus.mutate({ experimentId: 'ctl-1', status: 'running' });
    const pause = await api.session.requestControl.mutate({ experimentId: 'ctl-1', action: 'pause', message: 'GPU needed' });

    const { client, socket } = wsClient(app.url);
    const got = collect();
    const sub = client.session.controls.subscribe({ experimentId: 'ctl-1' }, { onData: got.onData });
    await got.until(1);
    expect(got.seen[0]).toMatchObject({ id: String(pause.id), data: { action: 'pause', message: 'GPU needed' } });

    await api.session.setStatus.mutate({ experimentId: 'ctl-1', status: 'paused' });
    const resume = await api.session.requestControl.mutate({ experimentId: 'ctl-1', action: 'resume' });
    await got.until(2);
    expect(got.seen[1]).toMatchObject({ id: String(resume.id), data: { action: 'resume', message: null } });
    expect(await acknowledged('ctl-1')).toEqual([
      { action: 'pause', acked: true },
      { action: 'resume', acked: false },
    ]);

    await api.session.setStatus.mutate({ experimentId: 'ctl-1', status: 'running' });
    expect((await acknowledged('ctl-1')).every((r) => r.acked)).toBe(true);
    sub.unsubscribe();
    socket.close();
  });

  it('resumes after lastEventId, and an ended run answers whatever is pending', async () => {
    const api = httpClient(app);
    await api.session.create.mutate({ experimentId: 'ctl-2' });
    const first = await api.session.requestControl.mutate({ experimentId: 'ctl-2', action: 'pause' });
    const second = await api.session.requestControl.mutate({ experimentId: 'ctl-2', action: 'stop' });

    const { client, socket } = wsClient(app.url);
    const got = collect();
    const sub = client.session.controls.subscribe(
      { experimentId: 'ctl-2', lastEventId: String(first.id) },
      { onData: got.onData },
    );
    await got.until(1);
    expect(got.seen.map((t) => t.id)).toEqual([String(second.id)]);

    await api.session.setStatus.mutate({ experimentId: 'ctl-2', status: 'completed' });
    expect(await acknowledged('ctl-2')).toEqual([
      { action: 'pause', acked: true },
      { action: 'stop', acked: true },
    ]);
    sub.unsubscribe();
    socket.close();
  });
});
