/** Turns the validated environment into the options the services take. */
import { env, type Env } from '../env';
import type { ServicesOptions } from './services';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export function servicesOptionsFromEnv(e: Env = env()): ServicesOptions {
  return {
    retention: {
      rawMs: e.SYSTEM_RAW_RETENTION_HOURS * HOUR_MS,
      minuteMs: e.SYSTEM_MINUTE_RETENTION_DAYS * DAY_MS,
      tenMinuteMs: e.SYSTEM_TEN_MINUTE_RETENTION_DAYS * DAY_MS,
      hourMs: e.SYSTEM_HOUR_RETENTION_DAYS * DAY_MS,
    },
    alerts: {
      enabled: e.ALERTS === 'on',
      baseUrl: e.PUBLIC_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`,
      throttleSeconds: e.ALERT_THROTTLE_SECONDS,
      webhookUrl: e.ALERT_WEBHOOK_URL,
      webhookFormat: e.ALERT_WEBHOOK_FORMAT,
    },
  };
}
