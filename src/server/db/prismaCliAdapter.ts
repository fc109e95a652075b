/**
 * The pg driver adapter the Prisma CLI (generate, migrate diff/status) runs on, with the
 * WebAssembly schema engine, so that no native engine is downloaded.
 *
 * Workarounds, each for a gap in @prisma/adapter-pg 6.19 as used by the schema engine:
 * 1. The engine's introspection reads catalog columns of type "char" (OID 18) and name
 *    (OID 19), which the adapter rejects as unsupported; they are plain text, so the
 *    result columns are reported as text (OID 25).
 * 2. The engine leaves 10-60 s timers running after its work is done, which keeps the CLI
 *    alive; the pool is created with allowExitOnIdle and the timers are unref'd.
 *
 * Only the CLI loads this file; the app's own database access is in ./pool.ts and ./prisma.ts.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

const CATALOG_TEXT_OIDS = new Set([18, 19]);
const TEXT_OID = 25;

/** Run `fn` with setTimeout/setInterval returning unref'd timers. */
function unrefTimers(): void {
  const wrap = <T extends typeof setTimeout | typeof setInterval>(original: T): T =>
    ((...args: Parameters<T>) => {
      const timer = (original as (...a: unknown[]) => NodeJS.Timeout)(...args);
      timer.unref?.();
      return timer;
    }) as unknown as T;
  globalThis.setTimeout = wrap(globalThis.setTimeout);
  globalThis.setInterval = wrap(globalThis.setInterval);
}

/** A pg client whose results report catalog "char"/name columns as text. */
function patchCatalogTypes(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<pg.QueryResult>;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = async (...args: unknown[]) => {
      const result = await query(...args);
      for (const field of result?.fields ?? []) {
        if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
      }
      return result;
    };
  });
}

export function createCliAdapter(): PrismaPg {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) {
    throw new Error('DATABASE_URL is not set: run the Prisma CLI through `npm run db:*`, which sets it.');
  }
  unrefTimers();
  const pool = new pg.Pool({ connectionString, allowExitOnIdle: true });
  patchCatalogTypes(pool);
  return new PrismaPg(pool);
}
