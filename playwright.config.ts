/**
 * Browser tests of the web app in Debian's Chromium, against the real server (production
 * build), an embedded PostgreSQL, the collector and trainers using the SDK. One worker: the
 * tests share one server, and one of them restarts it.
 */
import { defineConfig, devices } from '@playwright/test';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'e2e/results/test-output',
  globalSetup: './e2e/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['html', { outputFolder: 'e2e/results/report', open: 'never' }]],
  use: {
    viewport: { width: 1440, height: 900 },
    colorScheme: 'dark',
    // Sent as Accept-Language: the specs read the English interface unless they ask for another.
    locale: 'en-US',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      // The fleet spec leaves 1,000 hosts on the shared server: it runs after the others.
      testIgnore: /fleet\.spec\.ts/,
      use: chromium(),
    },
    { name: 'fleet', testMatch: /fleet\.spec\.ts/, dependencies: ['chromium'], use: chromium() },
  ],
});

function chromium() {
  return {
    ...devices['Desktop Chrome'],
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      // Debian's Chromium: no browser download. CHROMIUM_PATH points elsewhere if needed.
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  };
}
