/**
 * Field schemas shared by every door (tRPC, the REST shim, the SDK's types, the OpenAPI
 * document). Each rule about a field is written here once.
 */
import { z } from 'zod';
import { LIMITS } from '../limits';
import { LOG_LEVELS, SESSION_STATUSES, type LogLevel } from '../vocabulary';

export { LOG_LEVELS, SESSION_STATUSES, TERMINAL_STATUSES, type LogLevel, type SessionStatus } from '../vocabulary';

const LEVEL_ALIASES: Record<string, LogLevel> = { WARN: 'WARNING', FATAL: 'CRITICAL' };

/** PostgreSQL text cannot hold NUL; it is replaced rather than failing the request. */
const withoutNul = (s: string) => (s.includes('\0') ? s.replaceAll('\0', '\uFFFD') : s);

export const text = (max: number) => z.string().max(max).transform(withoutNul);

export const experimentId = z
  .string()
  .min(1, 'must not be empty')
  .max(LIMITS.experimentIdLength)
  .refine((s) => !/[\0/\\?#]/.test(s), 'must not contain NUL, /, \\, ? or #')
  .describe('The experiment id the trainer chose; unique.');

/** Accepts any case, as the older API did. */
export const sessionStatus = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(SESSION_STATUSES))
  .describe('queued | running | paused | completed | failed | stopped');

/** Case-insensitive; WARN means WARNING and FATAL means CRITICAL. */
export const logLevel = z
  .string()
  .trim()
  .toUpperCase()
  .transform((s) => LEVEL_ALIASES[s] ?? s)
  .pipe(z.enum(LOG_LEVELS))
  .describe('DEBUG | INFO | WARNING | ERROR | CRITICAL (any case; WARN, FATAL accepted)');

/** Any number, NaN and ±Infinity included: a diverging loss is NaN and is kept as such. */
export const metricValue = z
  .custom<number>((v) => typeof v === 'number', { message: 'must be a number (NaN and Infinity allowed)' })
  .meta({ type: 'number' });

export const metricName = z.string().min(1, 'must not be empty').max(LIMITS.metricNameLength).transform(withoutNul);

export const metricValues = z
  .record(metricName, metricValue)
  .refine((v) => Object.keys(v).length > 0, 'must name at least one metric')
  .refine((v) => Object.keys(v).length <= LIMITS.metricsPerReport, `at most ${LIMITS.metricsPerReport} metrics per report`);

export const epoch = z.number().int().min(0).max(2_147_483_647);
export const step = z.number().int().min(0).max(2_147_483_647);

/** How deeply a JSON value nests, counted with a loop: a recursive walk would overflow on hostile input. */
export function jsonDepth(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth + 1 > max) max = depth + 1;
    for (const child of Object.values(node)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return max;
}

/**
 * A training config: any JSON object, bounded in nesting and size. The depth is checked
 * first (and stops the checks) because JSON.stringify recurses and overflows on deep input.
 */
export const config = z
  .record(z.string(), z.unknown())
  .refine((c) => jsonDepth(c) <= LIMITS.configDepth, { message: `must nest at most ${LIMITS.configDepth} levels`, abort: true })
  .refine((c) => JSON.stringify(c).length <= LIMITS.configBytes, `must be at most ${LIMITS.configBytes} bytes as JSON`);

export const listLimit = z.number().int().min(0).max(LIMITS.listLimit);

/** When the event happened, if the client knows better than the time it arrives. */
export const eventTime = z.coerce.date();
