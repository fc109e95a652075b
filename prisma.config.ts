/**
 * Prisma CLI configuration.
 *
 * Prisma 6's CLI normally downloads a native schema engine, which locked-down machines
 * cannot fetch. `engine: 'js'` runs the WebAssembly schema engine bundled with the CLI
 * over a pg driver adapter instead; src/server/db/prismaCliAdapter.ts holds the few
 * workarounds that engine needs, explained.
 *
 * At run time the app never calls the CLI: src/server/db/migrate.ts applies
 * prisma/migrations itself (see there for why).
 */
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { createCliAdapter } from './src/server/db/prismaCliAdapter';

export default defineConfig({
  experimental: { adapter: true },
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  engine: 'js',
  adapter: async () => createCliAdapter(),
});
