import { expect, test } from '@playwright/test';
import { screenshot, sql, stack } from './support/fixtures';

// Runs after the others (files run in name order): the runs they left are here to compare and delete.
test('runs can be compared, then deleted after a confirmation', async ({ page }) => {
  const runs = await sql<{ experiment_id: string }>(
    "SELECT experiment_id FROM training_session WHERE experiment_id LIKE 'e2e-%' AND metrics_count BETWEEN 1 AND 10000 ORDER BY id",
  );
  expect(runs.length).toBeGreaterThanOrEqual(2);
  const [a, b] = [runs[0]!.experiment_id, runs[1]!.experiment_id];

  await page.goto(`${stack().url}/sessions`);
  await page.getByLabel(`Select ${a}`).check();
  await page.getByLabel(`Select ${b}`).check();
  await page.getByRole('button', { name: 'Compare' }).click();
  await expect(page).toHaveURL(new RegExp(`/compare\\?ids=${a},${b}$`));
  const loss = page.locator('[data-testid="compare-chart"][data-metric="train/loss"] [data-runs]');
  await expect(loss).toHaveAttribute('data-runs', '2');
  await screenshot(page, 'compare');

  await page.goto(`${stack().url}/sessions`);
  const row = page.locator(`[data-testid="run-row"][data-experiment="${a}"]`);
  await row.getByRole('button', { name: `Delete ${a}` }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(`Delete ${a}?`);
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(row).toHaveCount(0);
  expect(await sql('SELECT 1 FROM training_session WHERE experiment_id = $1', [a])).toHaveLength(0);
});
