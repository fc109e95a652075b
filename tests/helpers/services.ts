import { silentLogger } from '../../src/lib/logger';
import { servicesOptionsFromEnv } from '../../src/server/config';
import { openDatabase } from '../../src/server/db/database';
import { createServices, type Services } from '../../src/server/services';

/** The services of one app instance on the given database (migrated on open); `close()` tears down as the app does. */
export async function openServices(url: string): Promise<Services> {
  const db = await openDatabase({ url, dataDir: '.data/test', log: silentLogger });
  return createServices(db, silentLogger, servicesOptionsFromEnv());
}
