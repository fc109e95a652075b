import { expect, test } from '@playwright/test';
import { one, screenshot, sql, stack } from './support/fixtures';

const ID = 'e2e-one-million-points';
const REPORTS = 250_000;
const NAMES = ['train/loss', 'val/loss', 'val/mAP50', 'lr'];

test.beforeAll(async () => {
  test.setTimeout(240_000);
  // 250,000 reports of 4 metrics: 1,000,000 points, written by SQL in one statement.
  const res = await fetch(`${stack().url}/api/trpc/session.create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { experimentId: ID, totalEpochs: 100, host: 'gpu-node-7' } }),
  });
  expect(res.ok).toBe(true);
  await sql(
    `INSERT INTO metric_point (session_id, seq, epoch, step, name, value, "timestamp")
     SELECT s.id, 1 + r, r * 100 / $2, r, m.name,
            CASE m.name WHEN 'train/loss' THEN CASE WHEN r = 123456 THEN 'NaN'::float8 ELSE 2.0 * exp(-r / 60000.0) + random() * 0.1 END
                        WHEN 'val/loss' THEN 2.2 * exp(-r / 70000.0) + random() * 0.05
                        WHEN 'val/mAP50' THEN 0.7 * (1 - exp(-r / 50000.0)) + random() * 0.02
                        ELSE 0.01 * (1 + cos(pi() * r / $2)) / 2 END,
            now() - interval '1 day' + r * interval '300 ms'
       FROM training_session s, generate_series(1, $2::int) r, unnest($3::text[]) m(name)
      WHERE s.experiment_id = $1`,
    [ID, REPORTS, NAMES],
  );
  await sql(
    `UPDATE training_session SET last_seq = $2 + 1, metrics_count = $2, current_epoch = 100, status = 'completed',
            started_at = now() - interval '1 day', ended_at = now() - interval '1 day' + $2 * interval '300 ms'
      WHERE experiment_id = $1`,
    [ID, REPORTS],
  );
  await sql('ANALYZE metric_point');
});

test('a run with 1,000,000 metric points opens and draws every chart thinned, its draw time recorded', async ({ page }) => {
  const { n } = await one<{ n: number }>(
    'SELECT count(*)::int AS n FROM metric_point WHERE session_id = (SELECT id FROM training_session WHERE experiment_id = $1)',
    [ID],
  );
  expect(n).toBe(1_000_000);
  const canvases = page.getByTestId('metric-canvas');
  /** When the last chart first drew, in ms on the page's clock (performance.now()). */
  const lastDrawn = async () => {
    await expect(canvases).toHaveCount(NAMES.length);
    for (const canvas of await canvases.all()) await expect(canvas).toHaveAttribute('data-first-drawn-at', /^\d+$/);
    return Math.max(...(await canvases.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-first-drawn-at'))))));
  };

  // A first load in a fresh browser: every script fetched and compiled (reported, not judged).
  await page.goto(`${stack().url}/sessions/${ID}`);
  const cold = await lastDrawn();

  // Opening the run from the runs table, as a user does.
  await page.goto(`${stack().url}/sessions`);
  await page.getByLabel('Search runs by experiment id').fill(ID);
  await page.evaluate(() =>
    document.addEventListener('click', () => ((window as { clickedAt?: number }).clickedAt = performance.now()), {
      capture: true,
      once: true,
    }),
  );
  await page.getByRole('link', { name: ID }).click();
  await expect(page).toHaveURL(new RegExp(`/sessions/${ID}$`));
  const opened = (await lastDrawn()) - (await page.evaluate(() => (window as { clickedAt?: number }).clickedAt ?? 0));

  // And a reload of the page (from the start of its navigation).
  await page.reload();
  const reloaded = await lastDrawn();

  console.log(
    `1,000,000 points drawn: ${opened} ms after the click, ${reloaded} ms after a reload (${cold} ms on a cold first load)`,
  );
  // Recorded, not asserted: tests never fail on timing (the goal, under 2 s, is tracked in BENCHMARKS.md).
  test.info().annotations.push({ type: 'draw-ms', description: `click ${opened}, reload ${reloaded}, cold ${cold}` });
  expect(opened).toBeGreaterThan(0);
  expect(reloaded).toBeGreaterThan(0);

  // Thinned to at most 2000 buckets a chart, the NaN kept as a marker.
  const points = await page
    .getByTestId('metric-canvas')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-points'))));
  expect(Math.max(...points)).toBeLessThanOrEqual(2000);
  await screenshot(page, 'monitor-1m-points');
});
