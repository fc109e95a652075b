import os from 'node:os';
import { expect, test } from '@playwright/test';
import { screenshot, stack } from './support/fixtures';

test('the overview shows this host, online, with live numbers changing', async ({ page }) => {
  await page.goto(stack().url);
  const card = page.locator(`[data-testid="host-card"][data-host="${os.hostname()}"]`);
  await expect(card).toBeVisible();
  await expect(card.getByTestId('host-online')).toHaveText('Online');
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');

  // CPU, memory and network readings, as a user would watch them tick.
  const readings = () =>
    Promise.all(['cpu', 'ram', 'net'].map((t) => card.getByTestId(`${t}-value`).textContent())).then((v) => v.join(' | '));
  await expect(card.getByTestId('cpu-value')).toHaveText(/\d+(\.\d)?%/);
  const first = await readings();
  await expect.poll(readings, { timeout: 20_000 }).not.toBe(first);

  // The rolling charts are drawn.
  await expect(card.locator('canvas').first()).toBeVisible();
  await screenshot(page, 'overview');
});
