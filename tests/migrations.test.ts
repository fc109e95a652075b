import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { applyMigrations, readMigrations } from '../src/server/db/migrate';
import { setupTestDatabase } from './helpers/fixtures';

const db = setupTestDatabase();

describe('migrations', () => {
  it('build the schema on an empty database, once, even when two instances start together', async () => {
    const migrations = await readMigrations();
    const [first, second] = await Promise.all([applyMigrations(db.sql), applyMigrations(db.sql)]);
    expect([...first.applied, ...second.applied].sort()).toEqual(migrations.map((m) => m.name));

    const { rows: tables } = await db.sql.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
    );
    expect(tables.map((t) => t.tablename)).toEqual(
      expect.arrayContaining(['_prisma_migrations', 'training_session', 'log_entry', 'metric_point', 'status_change']),
    );
    const { rows: recorded } = await db.sql.query(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(recorded).toEqual(
      migrations.map((m) => ({ migration_name: m.name, checksum: m.checksum, finished_at: expect.any(Date) })),
    );
    expect(await applyMigrations(db.sql)).toEqual({ applied: [], alreadyApplied: migrations.length });
  });

  it('leave the database as Prisma Migrate expects it: `prisma migrate status` finds nothing to do', async () => {
    const { stdout } = await promisify(execFile)('npx', ['prisma', 'migrate', 'status'], {
      env: { ...process.env, DATABASE_URL: db.url },
    });
    expect(stdout).toContain('Database schema is up to date');
  }, 60_000);
});
