#!/usr/bin/env node
// Starts the collector as plain JavaScript. A TypeScript loader left in the process costs
// more CPU than the sampling itself, so the sources are bundled once with esbuild (tsx's
// compiler) into node_modules/.cache; without esbuild, tsx loads them instead.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(root, 'src/collector/main.ts');

async function bundle() {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // Dependencies load from node_modules as usual; only this project's TypeScript is bundled.
    packages: 'external',
    write: false,
    logLevel: 'error',
  });
  const code = result.outputFiles[0].contents;
  const dir = path.join(root, 'node_modules/.cache/cvsm-collector');
  const file = path.join(dir, `main-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    // Written aside and renamed: collectors starting together never import half a file.
    const tmp = `${file}.${process.pid}`;
    writeFileSync(tmp, code);
    renameSync(tmp, file);
  }
  return file;
}

let file = null;
try {
  file = await bundle();
} catch {
  // No esbuild here: run through tsx.
}
if (file) {
  await import(pathToFileURL(file).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(entry).href);
}
