/**
 * The one place that reads the process environment. Every variable is declared here once,
 * with its type and default; a bad value stops the process with a message naming it.
 */
import { z } from 'zod';
import { EnvError, logLevel, parseEnvWith } from './lib/envParsing';

export { EnvError };

const port = z.coerce.number().int().min(0).max(65535);
/** A comma-separated list, blanks dropped. */
const commaList = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** HTTP port of the app, its API and its sockets. */
  PORT: port.default(8000),
  /** Interface to bind. Anything but loopback exposes the app to the network. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** PostgreSQL server to use. Unset: an embedded PostgreSQL is started under DATA_DIR. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /** Where the embedded PostgreSQL keeps its files. */
  DATA_DIR: z.string().min(1).default('.data'),
  /** on | off. Off serves the API and sockets only (tests and benchmarks skip Next.js). */
  WEB: z.enum(['on', 'off']).default('on'),
  /** debug | info | warn | error */
  LOG_LEVEL: logLevel,
  /** Browser origins besides the app's own allowed to call the API, comma-separated. */
  ALLOWED_ORIGINS: commaList,
  /** Host names (any port) or `name:port` answered besides loopback ones while the app runs without keys, comma-separated. */
  ALLOWED_HOSTS: commaList,
  /** Requests per second allowed per API key (0: no limit), and the burst above it. */
  RATE_LIMIT_PER_SECOND: z.coerce.number().min(0).default(100),
  RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(200),
  /** Largest request body accepted, in bytes. */
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(5 * 1024 * 1024),
  /**
   * A statement running longer than this is cancelled (and abandoned by the client when the
   * database does not answer at all), so a hung database answers 503 instead of holding requests.
   */
  DB_QUERY_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  /** Longest wait for a database connection (a new one, or a free one from the pool) before answering 503. */
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().positive().default(3000),
  /** How long host history is kept per tier: raw 1 Hz rows (hours), 1-minute, 10-minute and 1-hour rollups (days). */
  SYSTEM_RAW_RETENTION_HOURS: z.coerce.number().positive().default(48),
  SYSTEM_MINUTE_RETENTION_DAYS: z.coerce.number().positive().default(30),
  SYSTEM_TEN_MINUTE_RETENTION_DAYS: z.coerce.number().positive().default(30),
  SYSTEM_HOUR_RETENTION_DAYS: z.coerce.number().positive().default(365),
  /** `npm start` runs a collector for this host next to the server; `off` leaves it out. */
  COLLECTOR: z.enum(['on', 'off']).default('on'),
  /** The least silence, in seconds, after which a running run without heartbeats is stalled. */
  STALL_FLOOR_SECONDS: z.coerce.number().positive().default(600),
  /** on | off. Off evaluates no alert rules and sends nothing (a benchmark's baseline). */
  ALERTS: z.enum(['on', 'off']).default('on'),
  /** A webhook every alert is sent to, besides those configured in Settings. */
  ALERT_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Its message format; auto tells Feishu, DingTalk and WeCom apart by the URL's host. */
  ALERT_WEBHOOK_FORMAT: z.enum(['auto', 'generic', 'feishu', 'dingtalk', 'wecom']).default('auto'),
  /** One message per rule and subject per this many seconds; repeats inside it are not sent. */
  ALERT_THROTTLE_SECONDS: z.coerce.number().min(0).default(300),
  /** The app's address as people open it, for the links in alert messages. */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
});

export type Env = z.infer<typeof envSchema>;

/** Parses an environment; throws an EnvError naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  return parseEnvWith(envSchema, source);
}

let cached: Env | undefined;

/** The validated process environment, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
