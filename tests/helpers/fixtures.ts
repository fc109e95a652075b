/**
 * What a test file runs against, opened in its beforeAll and closed in its afterAll: a test
 * database, the app in this process, the app as a child process, or the services alone.
 * Each returns a handle at once, so a file holds it in a const; its parts exist once the
 * hooks ran (inside tests and later hooks). Hooks run in order and close in reverse, so a
 * file's own hooks registered after these see them open.
 */
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { silentLogger } from '../../src/lib/logger';
import type { AppOptions, RunningApp } from '../../src/server/app';
import { openDatabase } from '../../src/server/db/database';
import type { Services } from '../../src/server/services';
import { EventBus } from '../../src/server/services/eventBus';
import type { Retention } from '../../src/server/services/system/hostRollups';
import { SystemService } from '../../src/server/services/systemService';
import { freePort } from '../kit/freePort';
import { serverProcess, type ServerProcess, type ServerProcessOptions } from '../kit/serverProcess';
import { createTestDatabase, type TestDatabase } from './database';
import { startTestServer } from './server';
import { openServices } from './services';

function opened<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not open yet: use it inside a test or a hook`);
  return value;
}

/**
 * A stand-in for a value a beforeAll hook opens: every property read goes to the value, so
 * tests read it as they would the value itself; `extra`'s own properties are read from
 * `extra` instead. Functions are handed out as they are (a tRPC client is a callable proxy
 * that `bind` would break), so the values are plain objects whose methods need no `this`.
 */
export function forwardTo<T extends object, X extends object = object>(
  current: () => T | undefined,
  what: string,
  extra: X = {} as X,
): T & X {
  return new Proxy(extra as T & X, {
    get(target, key) {
      if (Object.hasOwn(target, key)) return Reflect.get(target, key);
      const value = opened(current(), what);
      return Reflect.get(value, key, value);
    },
  });
}

export interface UsedDatabase {
  readonly url: string;
  readonly name: string;
  /** A pool of the test's own on it, for checks in SQL: opened on first use, closed after the file. */
  readonly sql: pg.Pool;
}

/** A fresh database for this file, dropped after it. */
export function setupTestDatabase(): UsedDatabase {
  let db: TestDatabase | undefined;
  let pool: pg.Pool | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });
  const current = () => opened(db, 'the test database');
  return {
    get url() {
      return current().url;
    },
    get name() {
      return current().name;
    },
    get sql() {
      if (!pool) {
        pool = new pg.Pool({ connectionString: current().url });
        // pool.end() resolves while its connections are still closing; the drop that follows
        // terminates them, which the pool reports as an error of no consequence here.
        pool.on('error', () => {});
      }
      return pool;
    },
  };
}

export type TestServer = RunningApp & { readonly db: UsedDatabase };

/** The app in this process on a free port and a fresh database (see ./server.ts for its defaults). */
export function setupTestServer(options: Partial<AppOptions> = {}): TestServer {
  const db = setupTestDatabase();
  let app: RunningApp | undefined;
  beforeAll(async () => {
    app = await startTestServer(db.url, 0, options);
  });
  afterAll(async () => {
    await app?.close();
  });
  return forwardTo(() => app, 'the app', { db });
}

export type TestServerProcess = ServerProcess & { readonly db: UsedDatabase };

/** The real server as a child process on a free port and a fresh database, started before the file, stopped (SIGTERM) after. */
export function setupServerProcess(options: ServerProcessOptions = {}): TestServerProcess {
  const db = setupTestDatabase();
  let server: ServerProcess | undefined;
  beforeAll(async () => {
    server = serverProcess(db.url, await freePort(), options);
    await server.start();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });
  return forwardTo(() => server, 'the server process', { db });
}

/** The services of one app instance on a fresh database, without the HTTP server. */
export function setupTestServices(): Services {
  const db = setupTestDatabase();
  let services: Services | undefined;
  beforeAll(async () => {
    services = await openServices(db.url);
  });
  afterAll(async () => {
    await services?.close();
  });
  return forwardTo(() => services, 'the services');
}

export interface TestSystem {
  readonly db: UsedDatabase;
  /** The app's pool on the test database. */
  readonly pool: pg.Pool;
  readonly bus: EventBus;
  /** Host samples alone, its rollup job left to the tests (no background pass within the file). */
  readonly system: SystemService;
}

/** The system service (host samples and their tiers) on a fresh, migrated database. */
export function setupTestSystem(retention: Retention): TestSystem {
  const db = setupTestDatabase();
  let parts: { pool: pg.Pool; bus: EventBus; system: SystemService } | undefined;
  beforeAll(async () => {
    const { pool } = await openDatabase({ url: db.url, dataDir: '.data/test', log: silentLogger });
    const bus = new EventBus(pool, db.url, silentLogger);
    await bus.start();
    parts = { pool, bus, system: new SystemService(pool, bus, silentLogger, { retention, rollupEveryMs: 3_600_000 }) };
  });
  afterAll(async () => {
    parts?.system.close();
    await parts?.bus.close();
    await parts?.pool.end();
  });
  const current = () => opened(parts, 'the system service');
  return {
    db,
    get pool() {
      return current().pool;
    },
    get bus() {
      return current().bus;
    },
    get system() {
      return current().system;
    },
  };
}
