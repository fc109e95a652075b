import { expect, test } from '@playwright/test';
import { stack } from './support/fixtures';
import { serveLegacyFrontend } from './support/legacyFrontend';
import { restartServer } from './support/stack';

test('row 16: the older frontend on another loopback port works with no configuration, and reconnects after a restart', async ({
  page,
}) => {
  // Not named e2e-*: runs.spec compares the e2e-* runs that the trainers left.
  const run = `legacy-ui-${Date.now().toString(36)}`;
  // The older frontend calls the API as `localhost`, from its own dev server's origin.
  const api = stack().url.replace('127.0.0.1', 'localhost');
  const frontend = await serveLegacyFrontend(api, run);
  try {
    await page.goto(frontend.url);
    const body = page.locator('body');
    await expect(body).toHaveAttribute(
      'data-rest',
      [`POST /session 200`, `PUT /${run}/status 200`, `POST /${run}/metrics 200`, `GET /${run}/info 200`].join(','),
    );
    await expect(body).toHaveAttribute('data-system-opens', '1');
    await expect(body).toHaveAttribute('data-training-opens', '1');
    // The collector's samples arrive on the system socket; a line logged reaches the training socket.
    await expect.poll(async () => Number(await body.getAttribute('data-system-frames'))).toBeGreaterThan(0);
    await page.evaluate(() => (window as unknown as { logLine: (m: string) => Promise<unknown> }).logLine('before restart'));
    await expect(body).toHaveAttribute('data-logs', 'before restart');

    await restartServer();
    // Both sockets came back by themselves (every 3 s), and the stream goes on.
    await expect(body).toHaveAttribute('data-system-opens', '2', { timeout: 30_000 });
    await expect(body).toHaveAttribute('data-training-opens', '2', { timeout: 30_000 });
    await page.evaluate(() => (window as unknown as { logLine: (m: string) => Promise<unknown> }).logLine('after restart'));
    await expect(body).toHaveAttribute('data-logs', 'before restart|after restart');
  } finally {
    await frontend.close();
  }
});

test("row 15: the app's pages run under a CSP with a per-request script nonce", async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const first = await page.goto(`${stack().url}/settings`);
  const policy = first!.headers()['content-security-policy'] ?? '';
  expect(policy).toMatch(/script-src 'self' 'nonce-[\w+/=]+' 'strict-dynamic'/);
  // The page hydrated (its live connection badge is driven by client code).
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  const second = await page.goto(`${stack().url}/`);
  expect(second!.headers()['content-security-policy']).not.toBe(policy);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
  expect(violations).toEqual([]);
});
