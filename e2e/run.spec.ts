import { expect, test, type Page } from '@playwright/test';
import { one, numberIn, screenshot, sql, stack, startTrainer, type Trainer } from './support/fixtures';

const ID = `e2e-live-${Date.now().toString(36)}`;
let trainer: Trainer;

test.beforeAll(() => {
  trainer = startTrainer(ID, { steps: 100_000, interval: 100, epochs: 50 });
});
test.afterAll(() => {
  trainer.child.kill('SIGTERM');
});

const chartPoints = (page: Page, metric: string) =>
  page
    .locator(`[data-testid="metric-chart"][data-metric="${metric}"] [data-testid="metric-canvas"]`)
    .getAttribute('data-points')
    .then(Number);

test.describe.serial('a run started by the SDK', () => {
  test('appears on the overview and in the runs table', async ({ page }) => {
    await page.goto(stack().url);
    const card = page.locator(`[data-testid="active-run"][data-experiment="${ID}"]`);
    await expect(card).toBeVisible();
    await expect(card.getByTestId('status-badge')).toHaveAttribute('data-status', 'running');

    await page.goto(`${stack().url}/sessions`);
    const row = page.locator(`[data-testid="run-row"][data-experiment="${ID}"]`);
    await expect(row).toBeVisible();
    await screenshot(page, 'runs');
    await page.getByLabel('Search runs by experiment id').fill(ID);
    await expect(page.getByTestId('run-row')).toHaveCount(1);
  });

  test('its charts and logs grow live', async ({ page }) => {
    await page.goto(`${stack().url}/sessions/${ID}`);
    await expect(page.getByRole('heading', { name: ID })).toBeVisible();
    await expect.poll(() => chartPoints(page, 'train/loss')).toBeGreaterThan(0);
    const before = await chartPoints(page, 'train/loss');
    await expect.poll(() => chartPoints(page, 'train/loss')).toBeGreaterThan(before + 5);

    const total = () => page.getByTestId('count-ALL').textContent().then(numberIn);
    const linesBefore = await total();
    await expect.poll(total).toBeGreaterThan(linesBefore + 10);
    // Following the tail: the last line shown catches up with what the database held a moment ago.
    const seqOf = async (message: string | null) =>
      (
        await sql<{ seq: number }>(
          `SELECT seq FROM log_entry WHERE session_id = (SELECT id FROM training_session WHERE experiment_id = $1) AND message = $2`,
          [ID, message ?? ''],
        )
      )[0]?.seq ?? 0;
    const { seq: stored } = await one<{ seq: number }>(
      'SELECT max(seq)::int AS seq FROM log_entry WHERE session_id = (SELECT id FROM training_session WHERE experiment_id = $1)',
      [ID],
    );
    await expect
      .poll(async () => seqOf(await page.getByTestId('log-line').last().getByTestId('log-message').textContent()))
      .toBeGreaterThanOrEqual(stored);
    await screenshot(page, 'monitor');

    // Scrolling up pauses the tail; "Jump to latest" resumes it.
    const scroller = page.getByTestId('log-scroller');
    await scroller.hover();
    await page.mouse.wheel(0, -600);
    const jump = page.getByRole('button', { name: /Jump to latest/ });
    await expect(jump).toBeVisible();
    await expect(jump).toContainText('new');
    await jump.click();
    await expect(jump).toBeHidden();
  });

  test('the level filter and the search work', async ({ page }) => {
    await page.goto(`${stack().url}/sessions/${ID}`);
    const lines = page.getByTestId('log-line');
    await expect(lines.first()).toBeVisible();

    await page.getByTestId('level-WARNING').click();
    await expect(page.getByTestId('level-WARNING')).toHaveAttribute('aria-pressed', 'true');
    await expect(lines.first()).toHaveAttribute('data-level', 'WARNING');
    const levels = await lines.evaluateAll((els) => els.map((e) => e.getAttribute('data-level')));
    expect(new Set(levels)).toEqual(new Set(['WARNING']));
    // The count beside the button matches the database (it only grows while we look).
    const { n } = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM log_entry l JOIN training_session s ON s.id = l.session_id
        WHERE s.experiment_id = $1 AND level = 'WARNING'`,
      [ID],
    );
    // Lines stored a moment ago may still be on their way to the page.
    await expect.poll(() => page.getByTestId('count-WARNING').textContent().then(numberIn)).toBeGreaterThanOrEqual(n);

    await page.getByTestId('level-ALL').click();
    await page.getByLabel('Search logs').fill('corrupt image');
    await expect(lines.first()).toContainText('corrupt image');
    // Every line shown matches, live ones included.
    await expect.poll(async () => (await lines.allTextContents()).every((t) => t.includes('corrupt image'))).toBe(true);
    await expect(lines.first().locator('mark')).toHaveText('corrupt image');
  });

  test('pause, resume and stop reach the trainer', async ({ page }) => {
    await page.goto(`${stack().url}/sessions/${ID}`);
    const badge = page.getByTestId('status-badge').first();
    await expect(badge).toHaveAttribute('data-status', 'running');

    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(badge).toHaveAttribute('data-status', 'paused');
    expect(trainer.lines).toContainEqual({ control: 'pause' });

    await page.getByRole('button', { name: 'Resume' }).click();
    await expect(badge).toHaveAttribute('data-status', 'running');
    expect(trainer.lines).toContainEqual({ control: 'resume' });

    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Stop run' }).click();
    await expect(badge).toHaveAttribute('data-status', 'stopped');
    expect(trainer.lines).toContainEqual({ control: 'stop' });
    expect(await trainer.exited).toBe(0);
    await screenshot(page, 'monitor-stopped');
  });
});
