import { expect, test } from '@playwright/test';
import { one, sql, stack, startTrainer } from './support/fixtures';
import { restartServer } from './support/stack';

test('after a server restart mid-run the page ends with exactly the events that were sent', async ({ page }) => {
  const id = `e2e-restart-${Date.now().toString(36)}`;
  const trainer = startTrainer(id, { steps: 120, interval: 80, epochs: 6 });
  // The trainer has started when its run is running.
  await expect
    .poll(
      async () =>
        (await sql<{ status: string }>('SELECT status FROM training_session WHERE experiment_id = $1', [id]))[0]?.status,
      {
        timeout: 30_000,
      },
    )
    .toBe('running');
  await page.goto(`${stack().url}/sessions/${id}`);
  const monitor = page.getByTestId('monitor');
  const startSeq = Number(await monitor.getAttribute('data-stream-from'));
  await expect.poll(async () => Number(await monitor.getAttribute('data-stream-received'))).toBeGreaterThan(10);

  await restartServer();
  // The socket dropped and came back by itself.
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live', { timeout: 30_000 });

  expect(await trainer.exited).toBe(0);
  await expect(page.getByTestId('status-badge').first()).toHaveAttribute('data-status', 'completed', { timeout: 30_000 });

  const { last_seq: lastSeq } = await one<{ last_seq: number }>(
    'SELECT last_seq FROM training_session WHERE experiment_id = $1',
    [id],
  );
  // Every event the database holds after the page's starting point, once each, in order.
  const { n } = await one<{ n: number }>(
    `WITH s AS (SELECT id FROM training_session WHERE experiment_id = $1)
     SELECT count(*)::int AS n FROM (
       SELECT seq FROM log_entry, s WHERE session_id = s.id AND seq > $2
       UNION SELECT seq FROM metric_point, s WHERE session_id = s.id AND seq > $2
       UNION SELECT seq FROM status_change, s WHERE session_id = s.id AND seq > $2
     ) e`,
    [id, startSeq],
  );
  expect(n).toBe(lastSeq - startSeq);
  await expect(monitor).toHaveAttribute('data-stream-last-seq', String(lastSeq));
  await expect(monitor).toHaveAttribute('data-stream-received', String(n));
  await expect(monitor).toHaveAttribute('data-stream-duplicates', '0');
  await expect(monitor).toHaveAttribute('data-stream-gaps', '0');
});
