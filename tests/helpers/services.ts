import { openDatabase } from '../../src/server/db/database';
import { silentLogger } from '../../src/server/logger';
import { createServices, type Services } from '../../src/server/services';

/** The services of one app instance on the given database (migrated on open). */
export async function openServices(url: string): Promise<Services & { close(): Promise<void> }> {
  const db = await openDatabase({ url, dataDir: '.data/test', log: silentLogger });
  const services = await createServices(db, silentLogger);
  return {
    ...services,
    close: async () => {
      await services.bus.close();
      await db.close();
    },
  };
}
