/** Test helpers: the stack's addresses, its database, trainers and screenshots. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import pg from 'pg';
import { readState, ROOT, SCREENSHOTS } from './stack';

export const stack = () => readState();

export async function sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: stack().databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** The single row a query returns. */
export async function one<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T> {
  const [row] = await sql<T>(text, params);
  if (!row) throw new Error(`no row from: ${text}`);
  return row;
}

export interface Trainer {
  child: ChildProcess;
  /** The JSON lines it printed (controls received, how it finished). */
  lines: Record<string, string>[];
  exited: Promise<number | null>;
}

export function startTrainer(id: string, opts: { steps?: number; interval?: number; epochs?: number } = {}): Trainer {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(ROOT, 'e2e/support/trainer.ts'),
      '--url',
      stack().url,
      '--id',
      id,
      '--steps',
      String(opts.steps ?? 400),
      '--interval',
      String(opts.interval ?? 100),
      '--epochs',
      String(opts.epochs ?? 10),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines: Record<string, string>[] = [];
  let buf = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buf += chunk.toString();
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i).trim();
      buf = buf.slice(i + 1);
      if (line.startsWith('{')) lines.push(JSON.parse(line) as Record<string, string>);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, exited };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** A number shown on the page, e.g. "1,234" or "12.5%". */
export const numberIn = (text: string | null) => Number((text ?? '').replace(/[^0-9.-]/g, ''));
