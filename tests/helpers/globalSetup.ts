/**
 * Tests run against a real PostgreSQL: the server in DATABASE_URL when set, otherwise an
 * embedded one started here (its own data folder, apart from the app's). Each test file
 * creates databases of its own on it (see ./database.ts).
 */
import { rm } from 'node:fs/promises';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/server/db/embeddedPostgres';
import { createLogger } from '../../src/lib/logger';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

let embedded: EmbeddedDatabase | undefined;
// A server of this run's own: runs side by side (a developer's and an editor's) never
// stop each other's database.
const dataDir = `.data/test/run-${process.pid}`;

export async function setup(project: TestProject): Promise<void> {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    embedded = await startEmbeddedPostgres(dataDir, createLogger('warn', 'test-pg'));
    adminUrl = embedded.adminUrl;
  }
  project.provide('pgAdminUrl', adminUrl);
}

export async function teardown(): Promise<void> {
  if (!embedded) return;
  await embedded.stop();
  await rm(dataDir, { recursive: true, force: true });
}
