/** A fresh, empty database on the run's PostgreSQL (see ./globalSetup.ts); the caller drops it. */
import { inject } from 'vitest';
import { createDatabase, type TestDatabase } from '../kit/database';

export type { TestDatabase } from '../kit/database';

export function createTestDatabase(): Promise<TestDatabase> {
  return createDatabase(inject('pgAdminUrl'), 'cvsm_test');
}
