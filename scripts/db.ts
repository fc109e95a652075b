/**
 * Database commands, with the database resolved as the app resolves it (DATABASE_URL, or
 * the embedded server under DATA_DIR):
 *
 *   npm run db:generate            Prisma Client from prisma/schema.prisma
 *   npm run db:migrate -- --name x a new migration from the schema's changes, then applied
 *   npm run db:status              what Prisma Migrate sees
 */
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { env } from '../src/env';
import { startEmbeddedPostgres } from '../src/server/db/embeddedPostgres';
import { applyMigrations, MIGRATIONS_DIR } from '../src/server/db/migrate';
import { createLogger } from '../src/lib/logger';

const log = createLogger('info', 'db');

function prisma(args: string[], databaseUrl: string, capture = false): string {
  const result = spawnSync('npx', ['prisma', ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: capture ? ['inherit', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
  return result.stdout ?? '';
}

async function withDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const config = env();
  if (config.DATABASE_URL) return fn(config.DATABASE_URL);
  const embedded = await startEmbeddedPostgres(config.DATA_DIR, log);
  try {
    return await fn(embedded.url);
  } finally {
    await embedded.stop();
  }
}

async function migrate(name: string): Promise<void> {
  await withDatabase(async (url) => {
    const sql = prisma(
      ['migrate', 'diff', '--from-migrations', MIGRATIONS_DIR, '--to-schema-datamodel', 'prisma/schema.prisma', '--script'],
      url,
      true,
    );
    if (sql.includes('This is an empty migration')) {
      log.info('prisma/schema.prisma and the migrations agree: nothing to write');
    } else {
      const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
      const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name.replace(/\W+/g, '_')}`);
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, 'migration.sql'), sql);
      log.info(`wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
    }
    const pool = new pg.Pool({ connectionString: url });
    try {
      const { applied } = await applyMigrations(pool);
      log.info(applied.length ? `applied ${applied.join(', ')}` : 'database up to date');
    } finally {
      await pool.end();
    }
  });
  prisma(['generate'], placeholderUrl);
}

// `generate` reads the schema only; the CLI still wants the variable set.
const placeholderUrl = 'postgresql://localhost/placeholder';

const [command, ...rest] = process.argv.slice(2);
const { values } = parseArgs({ args: rest, options: { name: { type: 'string' } }, allowPositionals: true });

switch (command) {
  case 'generate':
    prisma(['generate'], process.env.DATABASE_URL || placeholderUrl);
    break;
  case 'migrate':
    if (!values.name) {
      console.error('usage: npm run db:migrate -- --name <what_changed>');
      process.exit(2);
    }
    await migrate(values.name);
    break;
  case 'status':
    await withDatabase(async (url) => void prisma(['migrate', 'status'], url));
    break;
  default:
    console.error('usage: tsx scripts/db.ts generate | migrate --name x | status');
    process.exit(2);
}
