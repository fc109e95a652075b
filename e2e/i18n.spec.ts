/**
 * The main journeys in both languages: the browser's Accept-Language picks the language,
 * the server renders it (no flash of the other one), every page reads wholly in it, and the
 * header's switch changes it for good. User data (run ids, configs, log lines) written in
 * Chinese is shown as written in either language.
 */
import os from 'node:os';
import { expect, test, type Page } from '@playwright/test';
import { screenshot, stack } from './support/fixtures';
import { chineseOnPage, englishOnPage } from './support/pageText';

// The same in every worker of one test run: the runs are seeded once.
const STAMP = () => stack().port.toString(36);
let RUN_A = '';
let RUN_B = '';
const LOG_LINE = '第 3 轮训练完成，验证集 mAP 提升';

async function rest(method: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${stack().url}/api/v1/training/logs${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
}

/** A run with a Chinese config and log, five epochs of metrics, left running. */
async function seedRun(id: string, offset: number): Promise<void> {
  const known = await fetch(`${stack().url}/api/v1/training/logs/${encodeURIComponent(id)}/info`);
  if (known.ok) return;
  await rest('POST', '/session', {
    experiment_id: id,
    total_epochs: 10,
    config: { 模型: 'yolov8n', 数据集: 'COCO 中文子集', lr0: 0.01, 增强: { mosaic: 1 } },
  });
  await rest('PUT', `/${encodeURIComponent(id)}/status`, { status: 'running' });
  for (let epoch = 1; epoch <= 5; epoch++) {
    await rest('POST', `/${encodeURIComponent(id)}/metrics`, {
      epoch,
      step: epoch * 100,
      metrics: { 'train/loss': 2 / (epoch + offset), 'val/mAP50': 0.1 * epoch + offset / 100 },
    });
    await rest('POST', `/${encodeURIComponent(id)}/log`, {
      level: epoch === 4 ? 'WARNING' : 'INFO',
      message: epoch === 3 ? LOG_LINE : `epoch ${epoch} 完成，loss=${(2 / epoch).toFixed(3)}`,
    });
  }
}

test.beforeAll(async () => {
  RUN_A = `i18n-检测-a-${STAMP()}`;
  RUN_B = `i18n-检测-b-${STAMP()}`;
  // Seeded by whichever worker comes first.
  await seedRun(RUN_A, 0);
  await seedRun(RUN_B, 1);
});

/** What the trainers and the collector named: shown as written, inside sentences too. */
const userData = () => [RUN_A, RUN_B, os.hostname(), 'train/loss', 'val/mAP50'];

const runPath = (id: string) => `/sessions/${encodeURIComponent(id)}`;

/** The main pages, each with what shows it has loaded its data. */
const PAGES: { path: () => string; ready: (page: Page) => Promise<void> }[] = [
  {
    path: () => '/',
    ready: async (page) => {
      await expect(page.locator(`[data-testid="active-run"][data-experiment="${RUN_A}"]`)).toBeVisible();
      await expect(page.getByTestId('host-card').first()).toBeVisible();
      await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
    },
  },
  {
    path: () => '/sessions',
    ready: (page) => expect(page.locator(`[data-testid="run-row"][data-experiment="${RUN_A}"]`)).toBeVisible(),
  },
  {
    path: () => runPath(RUN_A),
    ready: async (page) => {
      await expect(page.getByRole('heading', { name: RUN_A })).toBeVisible();
      await expect(page.getByTestId('log-message').filter({ hasText: LOG_LINE })).toBeVisible();
      await expect
        .poll(() =>
          page
            .locator('[data-testid="metric-chart"][data-metric="train/loss"] [data-testid="metric-canvas"]')
            .getAttribute('data-points'),
        )
        .toBe('5');
      await page.getByTestId('config').locator('summary').click();
      await expect(page.getByTestId('config')).toContainText('COCO 中文子集');
    },
  },
  {
    path: () => `/compare?ids=${encodeURIComponent(RUN_A)},${encodeURIComponent(RUN_B)}`,
    ready: (page) =>
      expect(page.locator('[data-testid="compare-chart"][data-metric="train/loss"] [data-runs]')).toHaveAttribute(
        'data-runs',
        '2',
      ),
  },
  {
    // This machine's collector reports here: its history charts and newest sample in full.
    path: () => `/hosts/${encodeURIComponent(os.hostname())}`,
    ready: async (page) => {
      await expect(page.getByTestId('host-name')).toHaveText(os.hostname());
      await expect(page.getByTestId('host-history').locator('canvas').first()).toBeVisible();
      await expect(page.getByTestId('host-memory')).toBeVisible();
    },
  },
  { path: () => '/settings', ready: (page) => expect(page.getByRole('heading', { level: 1 })).toBeVisible() },
  { path: () => '/api-docs', ready: (page) => expect(page.locator('section[id^="post-"]').first()).toBeVisible() },
];

test.describe('in Simplified Chinese (Accept-Language: zh-CN)', () => {
  test.use({ locale: 'zh-CN' });

  test('the server renders the first page in Chinese, before any script runs', async ({ request }) => {
    const res = await request.get(`${stack().url}/sessions`, { headers: { 'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.8' } });
    const html = await res.text();
    expect(html).toContain('<html lang="zh-CN"');
    expect(html).toMatch(/<h1[^>]*>训练运行<\/h1>/);
    expect(html).toContain('>总览<');
  });

  test('every main page reads in Chinese, with user data as written', async ({ page }) => {
    for (const p of PAGES) {
      const path = p.path();
      await page.goto(`${stack().url}${path}`);
      await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
      await p.ready(page);
      expect.soft(await englishOnPage(page, userData()), `English on ${path}`).toEqual([]);
      if (path === '/') await screenshot(page, 'overview-zh-CN');
      if (path === runPath(RUN_A)) await screenshot(page, 'monitor-zh-CN');
      if (path.startsWith('/hosts/')) await screenshot(page, 'host-zh-CN');
    }
    // Whatever else the header links to (pages added later included) reads in Chinese too.
    const navigation = page.getByRole('navigation', { name: '主导航' });
    const linked = await navigation
      .locator('a')
      .evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
    for (const path of linked) {
      await page.goto(`${stack().url}${path}`);
      await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
      await expect(page.locator('main')).toBeVisible();
      expect.soft(await englishOnPage(page, userData()), `English on ${path}`).toEqual([]);
    }

    // Names a user would look for, in the words of the glossary.
    await page.goto(`${stack().url}/sessions`);
    await expect(page.getByRole('navigation')).toContainText('训练运行');
    await expect(page.getByRole('group', { name: '按状态筛选' })).toContainText('运行中');
    // Running, or stalled once 15 s pass without a heartbeat: either in the glossary's words.
    await expect(page.locator(`[data-testid="run-row"][data-experiment="${RUN_A}"]`).getByTestId('status-badge')).toHaveText(
      /运行中|无响应/,
    );

    // An unknown page is a 404 in Chinese too.
    const missing = await page.goto(`${stack().url}/no-such-page`);
    expect(missing?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('未找到');

    // So is a run that does not exist (the services' not-found reaches the page as such).
    const noRun = await page.goto(`${stack().url}/sessions/no-such-run`);
    expect(noRun?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('未找到');
  });

  test("Settings' alert panels and the bell's list read in Chinese", async ({ page }) => {
    await page.goto(`${stack().url}/settings`);
    await expect(page.getByRole('heading', { name: '告警规则' })).toBeVisible();
    // The default rules by their Chinese names, with their conditions in words.
    await expect(page.getByLabel('启用训练运行失败')).toBeVisible();
    await expect(page.getByTestId('alert-rule').filter({ hasText: '主机离线' })).toContainText('60 秒无采样');
    await expect(page.getByRole('heading', { name: 'Webhook 通知' })).toBeVisible();
    await expect(page.getByRole('heading', { name: '发送记录' })).toBeVisible();
    expect.soft(await englishOnPage(page, userData()), 'English in the alert panels').toEqual([]);

    await page.getByTestId('alert-bell').click();
    const list = page.getByRole('dialog', { name: '告警' });
    await expect(list.getByRole('button', { name: '全部标为已读' })).toBeVisible();
    expect.soft(await englishOnPage(page, userData()), "English in the bell's list").toEqual([]);
  });
});

test.describe('in English (Accept-Language: en-US)', () => {
  test.use({ locale: 'en-US' });

  test('every main page reads in English, with Chinese user data as written', async ({ page }) => {
    for (const p of PAGES) {
      const path = p.path();
      await page.goto(`${stack().url}${path}`);
      await expect(page.locator('html')).toHaveAttribute('lang', 'en');
      await p.ready(page);
      expect.soft(await chineseOnPage(page, userData()), `Chinese interface text on ${path}`).toEqual([]);
    }
  });

  test('the header switch changes the language and remembers it', async ({ page, context }) => {
    await page.goto(`${stack().url}/sessions`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Runs');
    await page.getByTestId('locale-zh-CN').click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('训练运行');
    expect((await context.cookies()).find((c) => c.name === 'NEXT_LOCALE')?.value).toBe('zh-CN');

    // The browser still asks for English; the saved choice wins on every page.
    await page.goto(`${stack().url}/settings`);
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('设置');

    await page.getByTestId('locale-en').click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Settings');
  });
});
