import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningApp } from '../src/server/app';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startTestServer } from './helpers/server';

let db: TestDatabase;
let app: RunningApp;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestServer(db.url);
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

it('answers the README curl commands as the contract says', async () => {
  const { stdout } = await promisify(execFile)('bash', ['tests/curl/contract.sh'], {
    env: { ...process.env, BASE: app.url },
    timeout: 60_000,
  });
  expect(stdout.trim()).toBe('contract ok');
});
