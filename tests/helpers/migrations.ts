/** The schema as it was before a migration: for tests of what that migration does to existing rows. */
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { applyMigrations, MIGRATIONS_DIR } from '../../src/server/db/migrate';

/** Applies every migration whose folder name sorts before `firstLeftOut` (a migration's timestamp). */
export async function migrateBefore(pool: pg.Pool, firstLeftOut: string): Promise<void> {
  const before = await mkdtemp(path.join(tmpdir(), 'cvsm-migrations-'));
  try {
    const names = (await readdir(MIGRATIONS_DIR)).filter((n) => /^\d/.test(n)).sort();
    for (const name of names.filter((n) => n < firstLeftOut)) {
      await cp(path.join(MIGRATIONS_DIR, name), path.join(before, name), { recursive: true });
    }
    await cp(path.join(MIGRATIONS_DIR, 'migration_lock.toml'), path.join(before, 'migration_lock.toml'));
    await applyMigrations(pool, before);
  } finally {
    await rm(before, { recursive: true, force: true });
  }
}
