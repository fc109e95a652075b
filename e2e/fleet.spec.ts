/**
 * The fleet page at scale: 1,000 simulated 8-GPU hosts (100 reporting live each second, 900
 * gone quiet) besides this machine's collector; the live ones with an hour of history.
 * Asserts what a user checks (summary, grid, history heatmap, table, search, label filter,
 * the host page); records main-thread long tasks, the heatmap's draws and fetches and heap
 * use to e2e/results/fleet-perf.json for BENCHMARKS.md (timing is measured, not asserted).
 *
 * Runs after every other spec (its own project in playwright.config.ts): the hosts it adds
 * stay on the shared server, and the overview then shows the fleet view, not host cards.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
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

test('the fleet page shows 1,000 hosts: summary, GPU grid, history, table, search, label filter, host page', async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  const api = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${stack().url}/api/trpc`, transformer: superjson })] });
  // The quiet hosts last reported ten minutes ago.
  const past = Math.floor(Date.now() / 1000) * 1000 - 600_000;
  for (let i = LIVE; i < LIVE + QUIET; i += 300) {
    const batch = Array.from({ length: Math.min(300, LIVE + QUIET - i) }, (_, k) => simulatedSample(name(i + k), past, i + k));
    await api.system.report.mutate({ samples: batch });
  }
  // The live hosts' last hour, a sample a minute, for the history heatmap.
  const hour = Array.from({ length: 60 }, (_, m) => past + 600_000 - (60 - m) * 60_000);
  const history = hour.flatMap((at) => Array.from({ length: LIVE }, (_, i) => simulatedSample(name(i), at, i)));
  for (let i = 0; i < history.length; i += 300) await api.system.report.mutate({ samples: history.slice(i, i + 300) });
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
      const w = window as unknown as { __longTasks: number[]; __longTaskAt: number[]; __fleetViewAt: number };
      w.__longTasks = [];
      w.__longTaskAt = [];
      new PerformanceObserver((list) =>
        list.getEntries().forEach((e) => {
          w.__longTasks.push(e.duration);
          w.__longTaskAt.push(e.startTime);
        }),
      ).observe({ type: 'longtask', buffered: true });
      // When the fleet view is first in the DOM: tasks before it are the page's loading.
      const seen = new MutationObserver(() => {
        if (!document.querySelector('[data-testid="fleet-view"]')) return;
        w.__fleetViewAt = performance.now();
        seen.disconnect();
      });
      seen.observe(document, { childList: true, subtree: true });
    });
    // Minutes that arrive late are rolled up on the rollup job's next pass: wait for them,
    // so the page opens on the hour as it will stay.
    await expect
      .poll(
        async () => {
          const h = await api.system.fleetHistory.query({ metric: 'gpu_util', from: new Date(Date.now() - 3_600_000) });
          return h.hosts.find((x) => x.host === name(1))?.values.filter((v) => v !== null).length ?? 0;
        },
        { timeout: 90_000, intervals: [2_000] },
      )
      .toBeGreaterThan(50);
    await page.goto(stack().url);

    await expect(page.getByTestId('fleet-view')).toBeVisible();
    await expect(page.getByTestId('fleet-hosts')).toContainText(`${LIVE + 1} online`);
    await expect(page.getByTestId('fleet-hosts')).toContainText(`${QUIET} offline`);
    await expect(page.getByTestId('fleet-gpus')).toContainText(String(LIVE * 8));
    await expect(page.getByTestId('fleet-power')).toContainText('kW');
    await expect(page.getByTestId('gpu-grid')).toBeVisible();
    // The history heatmap has a row for every host of the filter, coloured where it reported.
    await expect(page.getByTestId('fleet-heatmap-summary')).toContainText(`${TOTAL} hosts · 1m a cell`);
    await expect.poll(() => colouredRows(page)).toBeGreaterThan(LIVE);
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
    const watchFrom = await page.evaluate(() => performance.now());
    await page.waitForTimeout(20_000);
    const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
    // When each long task began: while loading, at the fleet view's first render (its first
    // second), while the spec scrolls and opens the offline rows, or in the 20 s watched live.
    const phases = await page.evaluate((from) => {
      const w = window as unknown as { __longTasks: number[]; __longTaskAt: number[]; __fleetViewAt: number };
      const phase = (at: number) =>
        at < w.__fleetViewAt ? 'loading' : at < w.__fleetViewAt + 1000 ? 'firstRender' : at < from ? 'interaction' : 'live';
      const out: Record<string, { longTasks: number; longestTaskMs: number }> = {};
      w.__longTasks.forEach((d, i) => {
        const p = (out[phase(w.__longTaskAt[i]!)] ??= { longTasks: 0, longestTaskMs: 0 });
        p.longTasks++;
        p.longestTaskMs = Math.max(p.longestTaskMs, Math.round(d));
      });
      return out;
    }, watchFrom);
    const { metrics } = await cdp.send('Performance.getMetrics');
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
    const hourView = await heatmapTimes(page);
    // A day of 10-minute buckets: 1,001 rows x 145 cells fetched and drawn while the page is live.
    await page.getByRole('radiogroup', { name: 'History range' }).getByRole('radio', { name: '1d' }).click();
    await expect(page.getByTestId('fleet-heatmap-summary')).toContainText('10m a cell');
    await expect(page.getByText('updating…')).toHaveCount(0);
    const dayView = await heatmapTimes(page);
    const dayTasks = (await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks)).slice(
      longTasks.length,
    );
    const perf = {
      hosts: LIVE + QUIET + 1,
      liveHosts: LIVE + 1,
      longTasks: longTasks.length,
      longestTaskMs: Math.round(Math.max(0, ...longTasks)),
      over100ms: longTasks.filter((d) => d > 100).length,
      phases,
      jsHeapMiB: Math.round((heap / 1024 ** 2) * 10) / 10,
      domNodes: metrics.find((m) => m.name === 'Nodes')?.value ?? 0,
      heatmapHour: hourView,
      heatmapDay: { ...dayView, longTasks: dayTasks.length, longestTaskMs: Math.round(Math.max(0, ...dayTasks)) },
    };
    writeFileSync(path.join(RESULTS, 'fleet-perf.json'), JSON.stringify(perf, null, 2));
    console.log('fleet page', JSON.stringify(perf));
    // The hour by CPU, which the simulated hosts vary most, for the screenshot.
    await page.getByRole('radiogroup', { name: 'History range' }).getByRole('radio', { name: '1h' }).click();
    await page.getByRole('radiogroup', { name: 'Colour history by' }).getByRole('radio', { name: 'CPU' }).click();
    await expect(page.getByTestId('fleet-heatmap-summary')).toContainText('1m a cell');
    await expect(page.getByText('updating…')).toHaveCount(0);
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
    // Its one history row: hover names host, time and value; a click opens the host.
    await expect(page.getByTestId('fleet-heatmap-summary')).toContainText('1 host ·');
    const heat = page.getByTestId('fleet-heatmap-canvas');
    const box = (await heat.boundingBox())!;
    await heat.hover({ position: { x: box.width * 0.95, y: box.height / 2 } });
    await expect(page.getByTestId('fleet-heatmap-tooltip')).toContainText('sim-0042');
    await expect(page.getByTestId('fleet-heatmap-tooltip')).toContainText(/CPU utilisation \d+%/);
    await heat.click({ position: { x: box.width * 0.95, y: box.height / 2 } });
    await expect(page).toHaveURL(/\/hosts\/sim-0042$/);
    await page.goBack();
    await page.getByLabel('Search hosts').fill('sim-0042');
    await expect(page.getByTestId('fleet-shown')).toHaveText(`1 of ${TOTAL} hosts`);

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
      await expect(zh.getByTestId('fleet-heatmap-summary')).toContainText('台主机 · 每格');
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

/** Rows of the history heatmap with at least one coloured (not grey, no-data) cell. */
function colouredRows(page: Page): Promise<number> {
  return page.getByTestId('fleet-heatmap-canvas').evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let rows = 0;
    for (let r = 0; r < c.height; r++) {
      for (let i = r * c.width * 4; i < (r + 1) * c.width * 4; i += 4) {
        // The no-data grey is rgb(63, 68, 81).
        if (data[i] !== 63 || data[i + 1] !== 68 || data[i + 2] !== 81) {
          rows++;
          break;
        }
      }
    }
    return rows;
  });
}

/** The heatmap's draws so far (the page's `fleet-heatmap-draw` measures) and its fetches. */
function heatmapTimes(page: Page) {
  return page.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>('[data-testid="fleet-heatmap-canvas"]');
    const draws = performance.getEntriesByName('fleet-heatmap-draw').map((e) => e.duration);
    const fetches = performance
      .getEntriesByType('resource')
      .filter((e) => e.name.includes('system.fleetHistory'))
      .map((e) => e.duration);
    return {
      cells: c ? c.width * c.height : 0,
      draws: draws.length,
      lastDrawMs: Math.round((draws.at(-1) ?? 0) * 10) / 10,
      longestDrawMs: Math.round(Math.max(0, ...draws) * 10) / 10,
      lastFetchMs: Math.round(fetches.at(-1) ?? 0),
    };
  });
}
