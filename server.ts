/**
 * The CV Studio Monitor server: `tsx server.ts` (production, after `next build`) or
 * `tsx server.ts --dev` (hot reload). `npm start` and `npm run dev` wrap it.
 */
import nextEnv from '@next/env';
import { env, EnvError } from './src/env';
import { startApp } from './src/server/app';
import { StartupError } from './src/lib/startupError';
import { createLogger } from './src/lib/logger';

async function main(): Promise<void> {
  const dev = process.argv.includes('--dev');
  // .env, .env.local and friends, loaded the way Next.js loads them.
  nextEnv.loadEnvConfig(import.meta.dirname, dev);
  const config = env();
  const log = createLogger(config.LOG_LEVEL);
  const app = await startApp({
    port: config.PORT,
    host: config.HOST,
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    databaseTimeouts: { statementMs: config.DB_QUERY_TIMEOUT_MS, connectMs: config.DB_CONNECT_TIMEOUT_MS },
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    log,
    allowedOrigins: config.ALLOWED_ORIGINS,
    allowedHosts: config.ALLOWED_HOSTS,
    rateLimit: { perSecond: config.RATE_LIMIT_PER_SECOND, burst: config.RATE_LIMIT_BURST },
    web: config.WEB === 'off' ? undefined : { dev, dir: import.meta.dirname },
  });
  log.info(`CV Studio Monitor listening on ${app.url}`, { database: config.DATABASE_URL ? 'DATABASE_URL' : 'embedded' });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: shutting down`);
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof EnvError || error instanceof StartupError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
