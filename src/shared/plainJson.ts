/**
 * Values JSON carries unchanged: null, booleans, strings, finite numbers other than -0, and
 * arrays and plain objects of them, each in one place only (a shared reference is meta to
 * superjson), with no key superjson refuses (`__proto__`, constructor, prototype). For such a value
 * superjson adds no meta: `{ json: value }` is its serialised form and JSON.stringify its
 * text, so the walk superjson makes over every value can be skipped. A system sample, the
 * largest thing published once a second per host, is one (its schema takes finite numbers
 * and strings only).
 */
import { isPrototypeKey } from './valueBounds';

/** Containers checked already and found plain; such a value must not be changed afterwards. */
const known = new WeakSet<object>();
/** JSON texts of plain values, made once however many places send them. */
const texts = new WeakMap<object, string>();

/** Deeper than this is not worth the recursion: such values go the general way. */
const MAX_DEPTH = 32;

function plain(value: unknown, depth: number, seen: Set<object>): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth > MAX_DEPTH || seen.has(value)) return false;
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!(i in value) || !plain(value[i], depth + 1, seen)) return false;
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype || Object.getOwnPropertySymbols(value).length > 0) return false;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (isPrototypeKey(key) || !plain(record[key], depth + 1, seen)) return false;
  }
  return true;
}

/** Whether `value` is plain JSON; an object found plain is remembered, so asking again is free. */
export function isPlainJson(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return plain(value, 0, new Set());
  if (known.has(value)) return true;
  if (!plain(value, 0, new Set())) return false;
  known.add(value);
  return true;
}

/** Whether `value` was found plain JSON by an earlier isPlainJson; never walks it. */
export const knownPlainJson = (value: unknown): boolean => typeof value === 'object' && value !== null && known.has(value);

/**
 * The JSON text of a value found plain by isPlainJson, made once: a sample's notification to
 * other instances and its live frames carry the same text.
 */
export function plainJsonText(value: object): string {
  let text = texts.get(value);
  if (text === undefined) texts.set(value, (text = JSON.stringify(value)));
  return text;
}
