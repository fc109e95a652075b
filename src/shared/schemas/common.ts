/**
 * Field schemas shared by every door (tRPC, the REST shim, the SDK's types, the OpenAPI
 * document). Each rule about a field is written here once.
 */
import { z } from 'zod';
import { LIMITS } from '../limits';
import { describeValueProblem, findValueProblem, isPrototypeKey, PROTOTYPE_KEY_MESSAGE, type ValueBounds } from '../valueBounds';
import { LOG_LEVELS, SESSION_STATUSES, type LogLevel } from '../vocabulary';

export { LOG_LEVELS, SESSION_STATUSES, TERMINAL_STATUSES, type LogLevel, type SessionStatus } from '../vocabulary';

const LEVEL_ALIASES: Record<string, LogLevel> = { WARN: 'WARNING', FATAL: 'CRITICAL' };

/** PostgreSQL text cannot hold NUL; it is replaced rather than failing the request. */
const withoutNul = (s: string) => (s.includes('\0') ? s.replaceAll('\0', '\uFFFD') : s);

export const text = (max: number) => z.string().max(max).transform(withoutNul);

/**
 * Names REST cannot address: `.` and `..` are resolved away by clients and proxies, and
 * `GET /sessions` is the list, not the run. rest/reservedIds.test.ts checks this list
 * against the REST table.
 */
export const RESERVED_IDS: readonly string[] = ['.', '..', 'sessions'];

// Control (Cc) and format (Cf) characters: newlines, tabs, bidi overrides, zero-width marks.
const CONTROL_CHARS = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

export const experimentId = z
  .string()
  .min(1, 'must not be empty')
  .max(LIMITS.experimentIdLength)
  .refine((s) => !/[\0/\\?#]/.test(s), 'must not contain NUL, /, \\, ? or #')
  .refine((s) => !CONTROL_CHARS.test(s), 'must not contain control or formatting characters (newline, tab, bidi marks)')
  .refine((s) => s === '' || s.trim() !== '', 'must not be only spaces')
  .refine((s) => !RESERVED_IDS.includes(s), `must not be ${RESERVED_IDS.join(', ')} (REST could not address it)`)
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

export const metricName = z
  .string()
  .min(1, 'must not be empty')
  .max(LIMITS.metricNameLength)
  .refine((s) => !isPrototypeKey(s), PROTOTYPE_KEY_MESSAGE)
  .transform(withoutNul);

export const metricValues = z
  .record(metricName, metricValue)
  .refine((v) => Object.keys(v).length > 0, 'must name at least one metric')
  .refine((v) => Object.keys(v).length <= LIMITS.metricsPerReport, `at most ${LIMITS.metricsPerReport} metrics per report`);

export const epoch = z.number().int().min(0).max(2_147_483_647);
export const step = z.number().int().min(0).max(2_147_483_647);

const CONFIG_BOUNDS: ValueBounds = { maxDepth: LIMITS.configDepth, maxValues: LIMITS.inputValues, checkKeys: true };

/**
 * A training config: any JSON object, bounded in nesting and size, with no key named
 * __proto__, constructor or prototype anywhere (refused here, before anything is stored,
 * rather than stored and then unreadable). The bounded walk runs first and stops the checks,
 * because JSON.stringify recurses and would overflow or loop on what it refuses.
 */
export const config = z
  .record(z.string(), z.unknown())
  .superRefine((c, ctx) => {
    const problem = findValueProblem(c, CONFIG_BOUNDS);
    if (!problem) return;
    ctx.addIssue({
      code: 'custom',
      // A bad key or a cycle is named where it is; too deep or too large is the config's own fault.
      path:
        problem.kind === 'key' || problem.kind === 'cycle'
          ? problem.path.map((p) => (typeof p === 'symbol' ? String(p) : p))
          : [],
      message: describeValueProblem(problem, CONFIG_BOUNDS),
      continue: false,
    });
  })
  .refine((c) => JSON.stringify(c).length <= LIMITS.configBytes, `must be at most ${LIMITS.configBytes} bytes as JSON`);

export const listLimit = z.number().int().min(0).max(LIMITS.listLimit);

/** When the event happened, if the client knows better than the time it arrives. */
export const eventTime = z.coerce.date();
