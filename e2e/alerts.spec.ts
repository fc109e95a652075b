import { expect, test } from '@playwright/test';
import { screenshot, stack } from './support/fixtures';

const rest = (method: string, path: string, body: unknown) =>
  fetch(`${stack().url}/api/v1/training/logs${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

// Its run is named outside e2e-*, which the runs test compares.
test('the bell counts a new alert live and leads to the point on the run chart', async ({ page }) => {
  await page.goto(`${stack().url}/`);
  const bell = page.getByTestId('alert-bell');
  await expect(bell).toBeVisible();
  const unread = async () =>
    Number(
      (await page
        .getByTestId('alert-unread')
        .textContent({ timeout: 1000 })
        .catch(() => '0')) ?? 0,
    );
  const before = await unread();

  await rest('POST', '/session', { experiment_id: 'alert-demo-run', total_epochs: 3 });
  await rest('PUT', '/alert-demo-run/status', { status: 'running' });
  await rest('POST', '/alert-demo-run/metrics', { epoch: 1, metrics: { train_loss: 0.9 } });
  await rest('PUT', '/alert-demo-run/status', { status: 'failed', message: 'CUDA out of memory' });

  // Live: no reload.
  await expect(page.getByTestId('alert-unread')).toHaveText(String(before + 1));
  await expect(bell).toHaveAttribute('aria-label', `Alerts: ${before + 1} unread`);
  await bell.click();
  const item = page.getByTestId('alert-item').filter({ hasText: 'alert-demo-run' });
  await expect(item).toContainText('Run failed');
  await expect(item).toContainText('CUDA out of memory');
  await screenshot(page, 'alerts-bell');

  await item.getByRole('link').click();
  await expect(page).toHaveURL(/\/sessions\/alert-demo-run\?at=\d+$/);
  // The charts open on the time axis, the alert's moment marked.
  await expect(page.getByRole('radio', { name: 'Time' })).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByTestId('alert-unread')).toHaveCount(before === 0 ? 0 : 1);
  if (before > 0) await expect(page.getByTestId('alert-unread')).toHaveText(String(before));
});

test('settings list the default rules, on, and turn one off', async ({ page }) => {
  await page.goto(`${stack().url}/settings`);
  const rules = page.getByTestId('alert-rule');
  await expect(rules).toHaveCount(6);
  for (const name of ['Run failed', 'Run stalled', 'Metric is NaN or infinite', 'Host offline']) {
    await expect(page.getByLabel(`${name} on`)).toBeChecked();
  }
  const stalled = page.getByLabel('Run stalled on');
  await stalled.click();
  await expect(stalled).not.toBeChecked();
  await page.reload();
  await expect(stalled).not.toBeChecked(); // stored, not only shown
  await stalled.click();
  await expect(stalled).toBeChecked();
  await page.reload();
  await expect(stalled).toBeChecked();
  await screenshot(page, 'alerts-settings');
});
