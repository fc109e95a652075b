/**
 * `npm run bench`: runs every benchmark in this folder in turn (or those named:
 * `npm run bench -- ingest collector`). Each is a standalone script that prints its figures
 * and the ratio against a baseline it measures in the same run; results go into
 * BENCHMARKS.md by hand, with the machine and the date.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const dir = import.meta.dirname;
const all = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort();
const wanted = process.argv.slice(2);
const chosen = wanted.length ? all.filter((name) => wanted.includes(name)) : all;
if (chosen.length === 0) {
  console.error(`no benchmark named ${wanted.join(', ')}; have: ${all.join(', ') || 'none'}`);
  process.exit(2);
}

let failed = 0;
for (const name of chosen) {
  console.log(`\n=== ${name} ===`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, `${name}.bench.ts`)], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
