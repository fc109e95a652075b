/**
 * Tests run against a real PostgreSQL: the server in DATABASE_URL when set, otherwise an
 * embedded one started here (its own data folder, apart from the app's). Each test file
 * creates databases of its own on it (see ./database.ts).
 */
import type { TestProject } from 'vitest/node';
import { postgresServer, type PostgresServer } from '../kit/database';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

let postgres: PostgresServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  // A server of this run's own: runs side by side (a developer's and an editor's) never
  // stop each other's database.
  postgres = await postgresServer(`.data/test/run-${process.pid}`, 'test-pg');
  project.provide('pgAdminUrl', postgres.adminUrl);
}

export async function teardown(): Promise<void> {
  await postgres?.stop();
}
