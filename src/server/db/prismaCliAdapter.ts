/**
 * The pg driver adapter the Prisma CLI (generate, migrate diff/status) runs on, with the
 * WebAssembly schema engine, so that no native engine is downloaded.
 *
 * Workarounds, each for a gap in @prisma/adapter-pg 6.19 as the schema engine uses it:
 * 1. The engine's introspection reads catalog columns of type "char" (OID 18) and name
 *    (OID 19), which the adapter rejects as unsupported. They are plain text, so result
 *    columns of those types are reported as text (OID 25). The patch sits on the adapter's
 *    query path shared by every connection it makes, the shadow database's included.
 * 2. The engine leaves 10-60 s timers running after its work is done, which keeps the CLI
 *    alive; pools are created with allowExitOnIdle and the CLI's timers are unref'd.
 * 3. The shadow database (for `migrate diff --from-migrations`) is a dedicated one, dropped
 *    and created fresh each time, instead of the adapter's own handling.
 *
 * Only the CLI loads this file; the app's own database access is in ./database.ts.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

const CATALOG_TEXT_OIDS = new Set([18, 19]);
const TEXT_OID = 25;

type PerformIO = (query: unknown) => Promise<pg.QueryResult>;
let patched = false;

/** Makes the adapter's shared query method report "char" and name columns as text. */
function patchCatalogTypes(adapter: object): void {
  if (patched) return;
  // PrismaPgAdapter -> PgQueryable, whose performIO every connection and transaction uses.
  const queryable = Object.getPrototypeOf(Object.getPrototypeOf(adapter)) as { performIO: PerformIO };
  const performIO = queryable.performIO;
  queryable.performIO = async function (this: unknown, query: unknown) {
    const result = await performIO.call(this, query);
    for (const field of result.fields ?? []) {
      if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
    }
    return result;
  };
  patched = true;
}

function unrefTimers(): void {
  const wrap = <T extends typeof setTimeout | typeof setInterval>(original: T): T =>
    ((...args: unknown[]) => {
      const timer = (original as (...a: unknown[]) => NodeJS.Timeout)(...args);
      timer.unref?.();
      return timer;
    }) as unknown as T;
  globalThis.setTimeout = wrap(globalThis.setTimeout);
  globalThis.setInterval = wrap(globalThis.setInterval);
}

const pool = (connectionString: string) => new pg.Pool({ connectionString, allowExitOnIdle: true });

function shadowUrlFor(url: string): string {
  const u = new URL(url);
  u.pathname = `${u.pathname}_shadow`;
  return u.toString();
}

export function createCliAdapter() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run the Prisma CLI through `npm run db:*`, which sets it.');
  const shadowUrl = process.env.SHADOW_DATABASE_URL ?? shadowUrlFor(url);
  unrefTimers();
  const main = new PrismaPg(pool(url));
  return {
    provider: 'postgres' as const,
    adapterName: main.adapterName,
    async connect() {
      const adapter = await main.connect();
      patchCatalogTypes(adapter);
      return adapter;
    },
    async connectToShadowDb() {
      const name = decodeURIComponent(new URL(shadowUrl).pathname.slice(1));
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await admin.query(`CREATE DATABASE "${name}"`);
      } finally {
        await admin.end();
      }
      const adapter = await new PrismaPg(pool(shadowUrl)).connect();
      patchCatalogTypes(adapter);
      return adapter;
    },
  };
}
