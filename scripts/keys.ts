/**
 * API keys, managed from the shell (the database is resolved as the app resolves it):
 *
 *   npm run keys -- create --name trainer-1 --scope write   prints the key, once
 *   npm run keys -- list
 *   npm run keys -- revoke --name trainer-1
 *
 * Scopes: read (dashboards, subscriptions), write (ingest, status; includes read),
 * admin (keys, deletion; includes write).
 */
import { parseArgs } from 'node:util';
import { env } from '../src/env';
import { SCOPES, type Scope } from '../src/server/auth/keys';
import { openDatabase } from '../src/server/db/database';
import { createLogger } from '../src/lib/logger';
import { ApiKeyService } from '../src/server/services/apiKeyService';
import { EventBus } from '../src/server/services/eventBus';
import { ServiceError } from '../src/server/services/errors';

const USAGE = 'usage: npm run keys -- create --name NAME --scope read|write|admin | list | revoke --name NAME';

const [command, ...rest] = process.argv.slice(2);
const { values } = parseArgs({ args: rest, options: { name: { type: 'string' }, scope: { type: 'string' } } });
const config = env();
const log = createLogger('warn', 'keys');
const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, log });
// Through the bus, a revocation reaches running servers at once and closes the key's sockets.
const bus = new EventBus(db.pool, db.url, log);
const keys = new ApiKeyService(db.prisma, bus);
let code = 0;
try {
  if (command === 'create' && values.name && SCOPES.includes(values.scope as Scope)) {
    const { key, info } = await keys.create(values.name, values.scope as Scope);
    console.log(`Created key '${info.name}' (${info.scope}). It is shown only now; keep it safe:\n\n  ${key}\n`);
  } else if (command === 'list') {
    const rows = await keys.list();
    if (rows.length === 0) console.log('No keys: the app runs open on loopback and refuses other addresses.');
    for (const k of rows) {
      const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : `last used ${k.lastUsedAt?.toISOString() ?? 'never'}`;
      console.log(`${k.name.padEnd(24)} ${k.scope.padEnd(6)} ${k.prefix}…  created ${k.createdAt.toISOString()}  ${state}`);
    }
  } else if (command === 'revoke' && values.name) {
    await keys.revoke(values.name);
    console.log(`Revoked '${values.name}'.`);
  } else {
    console.error(USAGE);
    code = 2;
  }
} catch (error) {
  if (!(error instanceof ServiceError)) throw error;
  console.error(error.message);
  code = 1;
} finally {
  await bus.close();
  await db.close();
}
process.exit(code);
