/**
 * The fleet page at scale: 1,000 simulated 8-GPU hosts (100 reporting live each second, 900
 * gone quiet) besides this machine's collector. Asserts what a user checks (summary, grid,
 * table, search, label filter, the host page); records main-thread long tasks and heap use
 * to e2e/results/fleet-perf.json for BENCHMARKS.md (timing is measured, not asserted).
 *
 * Runs after every other spec (its own project in playwright.config.ts): the hosts it adds
 * stay on the shared server, and the overview then shows the fleet view, not host cards.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import superjson from 'superjson';
import { simulatedSample } from '../bench/lib/simulatedHost';
import type { AppRouter } from '../src/server/api/root';
import { screenshot, stack } from './support/fixtures';
import { englishOnPage } from './support/pageText';
import { RESULTS } from './support/stack';

const LIVE = 100;
const QUIET = 900;
const name = (i: number) => `sim-${String(i).padStart(4, '0')}`;
/** How the English page writes the host count: digits grouped (1,001). */
const TOTAL = (LIVE + QUIET + 1).toLocaleString('en');

test('the fleet page shows 1,000 hosts: summary, GPU grid, table, search, label filter, host page', async ({ page, browser }) => {
  test.setTimeout(180_000);
  const api = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${stack().url}/api/trpc`, transformer: superjson })] });
  // The quiet hosts last reported ten minutes ago.
  const past = Math.floor(Date.now() / 1000) * 1000 - 600_000;
  for (let i = LIVE; i < LIVE + QUIET; i += 300) {
    const batch = Array.from({ length: Math.min(300, LIVE + QUIET - i) }, (_, k) => simulatedSample(name(i + k), past, i + k));
    await api.system.report.mutate({ samples: batch });
  }
  const report = () => {
    const now = Math.floor(Date.now() / 1000) * 1000;
    void api.system.report.mutate({ samples: Array.from({ length: LIVE }, (_, i) => simulatedSample(name(i), now, i)) });
  };
  report();
  const live = setInterval(report, 1000);
  try {
    const tooLarge: string[] = [];
    page.on('response', (r) => void (r.status() === 431 || r.status() === 414 ? tooLarge.push(r.url()) : undefined));
    // Long tasks from the first script on.
    await page.addInitScript(() => {
      const w = window as unknown as { __longTasks: number[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__longTasks.push(e.duration))).observe({
        type: 'longtask',
        buffered: true,
      });
    });
    await page.goto(stack().url);

    await expect(page.getByTestId('fleet-view')).toBeVisible();
    await expect(page.getByTestId('fleet-hosts')).toContainText(`${LIVE + 1} online`);
    await expect(page.getByTestId('fleet-hosts')).toContainText(`${QUIET} offline`);
    await expect(page.getByTestId('fleet-gpus')).toContainText(String(LIVE * 8));
    await expect(page.getByTestId('fleet-power')).toContainText('kW');
    await expect(page.getByTestId('gpu-grid')).toBeVisible();
    // Virtualised: a screenful of rows in the DOM, not a thousand.
    const rendered = await page.getByTestId('host-row').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
    // The quiet hosts are one folded row after the online ones.
    await page.getByTestId('host-table-body').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect(page.getByTestId('offline-toggle')).toHaveText(`▸ ${QUIET} offline hosts`);
    await page.getByTestId('offline-toggle').click();
    await page.getByTestId('host-table-body').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect(page.getByTestId('host-row').last()).toContainText('sim-0999');
    await page.getByTestId('host-table-body').evaluate((el) => (el.scrollTop = 0));

    // Not a wait for an event: the page is watched live for 20 s, as a person would, and what
    // it measured over that time is read back.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.waitForTimeout(20_000);
    const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
    const { metrics } = await cdp.send('Performance.getMetrics');
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
    const perf = {
      hosts: LIVE + QUIET + 1,
      liveHosts: LIVE + 1,
      longTasks: longTasks.length,
      longestTaskMs: Math.round(Math.max(0, ...longTasks)),
      over100ms: longTasks.filter((d) => d > 100).length,
      jsHeapMiB: Math.round((heap / 1024 ** 2) * 10) / 10,
      domNodes: metrics.find((m) => m.name === 'Nodes')?.value ?? 0,
    };
    writeFileSync(path.join(RESULTS, 'fleet-perf.json'), JSON.stringify(perf, null, 2));
    console.log('fleet page', JSON.stringify(perf));
    await screenshot(page, 'fleet');

    // A label narrows the summary, grid and table; hovering a cell names its GPU.
    await page.getByLabel('Filter by label').selectOption('rack=r3');
    await expect(page.getByTestId('fleet-shown')).toHaveText(`${(LIVE + QUIET) / 40} of ${TOTAL} hosts`);
    await page.getByTestId('gpu-grid').hover({ position: { x: 3, y: 3 } });
    await expect(page.getByTestId('gpu-grid-tooltip')).toContainText(/sim-0003 · GPU 0/);
    // Search finds one host.
    await page.getByLabel('Filter by label').selectOption('');
    await page.getByLabel('Search hosts').fill('sim-0042');
    await expect(page.getByTestId('fleet-shown')).toHaveText(`1 of ${TOTAL} hosts`);
    await expect(page.getByTestId('fleet-hosts')).toContainText('1 online');

    // The grid's cell opens the host page: its GPUs, cores, mounts and interfaces, live.
    await page.getByTestId('gpu-grid').click({ position: { x: 3, y: 3 } });
    await expect(page).toHaveURL(/\/hosts\/sim-0042$/);
    await expect(page.getByTestId('host-name')).toHaveText('sim-0042');
    await expect(page.getByTestId('host-gpu')).toHaveCount(8);
    await expect(page.getByTestId('host-filesystems')).toContainText('/data');
    await expect(page.getByTestId('host-interfaces')).toContainText('ib0');
    await expect(page.getByTestId('host-history').locator('canvas').first()).toBeVisible();
    await page.getByRole('button', { name: '7d' }).click();
    await expect(page.getByTestId('host-range')).toContainText('now (live)');
    await screenshot(page, 'host');

    // The same fleet and host page in Chinese read wholly in Chinese; host names, labels,
    // mounts and interfaces are shown as written.
    const zhContext = await browser.newContext({ locale: 'zh-CN' });
    try {
      const zh = await zhContext.newPage();
      await zh.goto(stack().url);
      await expect(zh.getByTestId('fleet-hosts')).toContainText(`${LIVE + 1} 台在线`);
      await expect(zh.getByTestId('host-row').first()).toBeVisible();
      expect.soft(await englishOnPage(zh, []), 'English on the fleet view').toEqual([]);
      await screenshot(zh, 'fleet-zh-CN');
      await zh.goto(`${stack().url}/hosts/sim-0042`);
      await expect(zh.getByTestId('host-gpu')).toHaveCount(8);
      await expect(zh.getByTestId('host-range')).toContainText('现在（实时）');
      expect.soft(await englishOnPage(zh, []), 'English on the host page').toEqual([]);
      await screenshot(zh, 'host-zh-CN-fleet');
    } finally {
      await zhContext.close();
    }

    expect(tooLarge).toEqual([]);
  } finally {
    clearInterval(live);
  }
});
