/**
 * The one decoding step of every tRPC input, over HTTP and WebSocket alike: superjson's
 * `{json, meta}` turned into the value the procedure's schema sees, with the work bounded.
 *
 * Before superjson runs, the raw envelope is walked once (nesting and size: superjson's own
 * copy and annotation walks recurse), and meta.values may only name the types our inputs
 * use (a Set or Map annotation makes superjson's path lookups linear in the collection, so
 * many paths into one would be quadratic). After it runs, the result is walked again:
 * `referentialEqualities` may share an object between places (expanded, it must stay
 * within a few times what was sent) but never make it contain itself. Every refusal is a short
 * sentence naming the problem; superjson's own messages stay inside.
 */
import superjson from 'superjson';
import { LIMITS } from '../../shared/limits';
import {
  describeValueProblem,
  findValueProblem,
  walkValueWithKeys,
  type ValueBounds,
  type ValueProblem,
} from '../../shared/valueBounds';

/** A tRPC input the server will not read; its message is safe to show the client. */
export class InputError extends Error {
  override name = 'InputError';
}

const BOUNDS: ValueBounds = { maxDepth: LIMITS.inputDepth, maxValues: LIMITS.inputValues };
/** Values shared references may add beyond four times what was sent. */
const EXPANSION_ALLOWANCE = 10_000;

/** The annotation types an input of this API can need: undefined, NaN/±Infinity, dates, big integers. */
const ALLOWED_TYPES = new Set(['undefined', 'number', 'Date', 'bigint']);

type SuperJSONResult = Parameters<typeof superjson.deserialize>[0];

function where(problem: ValueProblem): string {
  return problem.path.length ? ` at ${problem.path.map(String).join('.')}` : '';
}

/** Every type named in meta.values, found with a loop (the tree was bounded already). */
function refuseUnknownTypes(values: unknown): void {
  const stack: unknown[] = [values];
  while (stack.length) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      // A leaf annotation: [type, children?]; a composite type is itself an array (['class', name]).
      const [type, children] = node as [unknown, unknown];
      if (typeof type !== 'string' || !ALLOWED_TYPES.has(type)) {
        const name = typeof type === 'string' ? type : Array.isArray(type) ? String(type[0]) : typeof type;
        throw new InputError(`The input's superjson meta names a type this API does not accept (${name.slice(0, 40)})`);
      }
      if (children !== undefined) stack.push(children);
    } else if (typeof node === 'object' && node !== null) {
      for (const child of Object.values(node)) stack.push(child);
    } else if (node !== undefined) {
      throw new InputError("The input's superjson meta is malformed");
    }
  }
}

/** superjson.deserialize, bounded; throws InputError for anything it will not read. */
export function decodeInput(payload: unknown): unknown {
  const { problem: before, values, protoKey } = walkValueWithKeys(payload, BOUNDS);
  if (before) throw new InputError(`The input ${describeValueProblem(before, BOUNDS)}`);
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { meta } = payload as { meta?: unknown };
  if (meta !== undefined && (typeof meta !== 'object' || meta === null)) {
    throw new InputError("The input's superjson meta is malformed");
  }
  refuseUnknownTypes((meta as { values?: unknown } | undefined)?.values);
  // No meta: superjson would only copy the parsed JSON, which is this request's own, and
  // drop `__proto__` keys; with none of those the copy is the value itself, so skip it.
  if (meta === undefined && !protoKey) return (payload as { json?: unknown }).json;

  let value: unknown;
  try {
    value = superjson.deserialize(payload as SuperJSONResult);
  } catch {
    throw new InputError("The input's superjson meta does not fit its json (a path or type that cannot be applied)");
  }
  // Without references the result has the envelope's shape, already walked.
  if (!(meta as { referentialEqualities?: unknown } | undefined)?.referentialEqualities) return value;
  // Shared references may repeat what was sent, not multiply it: a few hundred bytes of
  // nested references would otherwise expand to billions of values (and seconds of work).
  const expanded: ValueBounds = { ...BOUNDS, maxValues: Math.min(BOUNDS.maxValues, 4 * values + EXPANSION_ALLOWANCE) };
  const after = findValueProblem(value, expanded);
  if (after?.kind === 'cycle') {
    throw new InputError(`The input refers to itself${where(after)} (a cycle in meta.referentialEqualities)`);
  }
  if (after) {
    throw new InputError(`The input, with its shared references expanded, ${describeValueProblem(after, expanded)}`);
  }
  return value;
}

/** superjson on the way in, bounded by decodeInput. */
export const inputTransformer = {
  serialize: (value: unknown) => superjson.serialize(value),
  deserialize: decodeInput,
};
