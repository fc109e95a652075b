import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Collector } from '../src/collector/collector';
import type { RunningApp } from '../src/server/app';
import type { SystemSample } from '../src/shared/systemSample';
import { setupTestDatabase } from './helpers/fixtures';
import { startTestServer } from './helpers/server';

const db = setupTestDatabase();
let app: RunningApp | undefined;
const noGpu = { env: { ...process.env, PATH: mkdtempSync(path.join(tmpdir(), 'no-smi-')) } };

afterAll(async () => {
  await app?.close();
});

/** Resolves once `check` holds, checking after every change the caller reports through `changed()`. */
function watcher() {
  let waiters: { check: () => boolean; resolve: () => void }[] = [];
  return {
    changed() {
      waiters = waiters.filter((w) => (w.check() ? (w.resolve(), false) : true));
    },
    until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
      if (check()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
        waiters.push({ check, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
  };
}

async function storedTimestamps(host: string): Promise<string[]> {
  const { rows } = await app!.services.db.pool.query<{ ts: Date }>(
    'SELECT s.ts FROM host_sample s JOIN host h ON h.id = s.host_id WHERE h.name = $1 ORDER BY s.ts',
    [host],
  );
  return rows.map((r) => r.ts.toISOString());
}

describe('collector and server', () => {
  it('keeps sampling while the server is down and replays the buffer after it restarts, leaving no hole', async () => {
    app = await startTestServer(db.url);
    const port = app.port;
    const taken: SystemSample[] = [];
    const w = watcher();
    const collector = new Collector({
      server: app.url,
      host: 'replay-host',
      gpu: noGpu,
      retryDelayMs: () => 200,
      onSample: (s) => {
        taken.push(s);
        w.changed();
      },
    });
    await collector.start();
    try {
      await w.until(() => collector.sender.stored >= 2, 'two samples stored');

      await app.close();
      app = undefined;
      const takenWhileUp = taken.length;
      await w.until(() => taken.length >= takenWhileUp + 3 && collector.sender.buffered >= 3, 'samples buffered while down');

      app = await startTestServer(db.url, port);
      const takenBeforeRestart = taken.length;
      await w.until(() => taken.length >= takenBeforeRestart + 2 && collector.sender.buffered === 0, 'buffer drained');
      await collector.stop({ flush: true });

      // Every sample taken, before, during and after the outage, is stored once.
      expect(await storedTimestamps('replay-host')).toEqual(taken.map((s) => s.timestamp));
      expect(collector.sender.dropped).toBe(0);
      const latest = app.services.system.hosts().find((h) => h.host === 'replay-host');
      expect(latest?.latest?.timestamp).toBe(taken.at(-1)!.timestamp);
    } finally {
      await collector.stop();
    }
  }, 60_000);

  it('runs from the command line and shows up as an online host', async () => {
    app ??= await startTestServer(db.url);
    const child = spawn(process.execPath, ['bin/cvsm-collector.mjs', '--server', app.url, '--host', 'cli-host'], {
      env: noGpu.env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const { services } = app;
      const online = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`cli-host never reported; stderr: ${stderr}`)), 30_000);
        const unsubscribe = services.bus.subscribeSystem((m) => {
          if (m.kind === 'system' && m.sample.host === 'cli-host') {
            clearTimeout(timer);
            unsubscribe();
            resolve();
          }
        });
      });
      await online;
      expect(services.system.hosts().find((h) => h.host === 'cli-host')).toMatchObject({ online: true });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
