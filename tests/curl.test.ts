import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { setupTestServer } from './helpers/fixtures';

const app = setupTestServer();

it('answers the README curl commands as the contract says', async () => {
  const { stdout } = await promisify(execFile)('bash', ['tests/curl/contract.sh'], {
    env: { ...process.env, BASE: app.url },
    timeout: 60_000,
  });
  expect(stdout.trim()).toBe('contract ok');
});
