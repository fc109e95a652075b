/**
 * One bounded walk over any decoded input: how deep it nests, how many values it holds once
 * shared references are expanded, whether it refers to itself, and whether any object key
 * is a prototype name. A loop with its own stack, never recursion (hostile input is deeper
 * than any call stack), and never more steps than `maxValues`, so it always ends quickly,
 * whatever graph superjson's references built.
 */

/** Keys that name the prototype machinery: superjson refuses to write them, and assigning them is how pollution happens. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export const isPrototypeKey = (key: string): boolean => PROTOTYPE_KEYS.has(key);

export const PROTOTYPE_KEY_MESSAGE = 'must not be __proto__, constructor or prototype';

export type ValueProblem =
  | { kind: 'depth'; path: PropertyKey[] }
  | { kind: 'size'; path: PropertyKey[] }
  | { kind: 'cycle'; path: PropertyKey[] }
  | { kind: 'key'; path: PropertyKey[] };

export interface ValueBounds {
  /** Containers nested deeper than this are a problem (the root container is level 1). */
  maxDepth: number;
  /** Values visited, shared ones once per place they appear. */
  maxValues: number;
  /** Report keys named __proto__, constructor or prototype. */
  checkKeys?: boolean;
}

interface Frame {
  value: unknown;
  key: PropertyKey | null;
  parent: Frame | null;
  depth: number;
  /** Set once the frame's children are pushed: popping it again means leaving it. */
  entered?: boolean;
}

function pathOf(frame: Frame | null): PropertyKey[] {
  const path: PropertyKey[] = [];
  for (let f = frame; f && f.key !== null; f = f.parent) path.push(f.key);
  return path.reverse();
}

function children(value: Map<unknown, unknown> | Set<unknown>): Iterable<[PropertyKey, unknown]> {
  if (value instanceof Map)
    return [...value.entries()].map(([k, v], i): [PropertyKey, unknown] => [typeof k === 'string' ? k : i, v]);
  return [...value].entries();
}

const isContainer = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && !(value instanceof Date) && !(value instanceof RegExp);

/** The first problem found in `root`, or null when it is within the bounds. */
export function findValueProblem(root: unknown, bounds: ValueBounds): ValueProblem | null {
  return walkValueWithKeys(root, bounds).problem;
}

/** A walk's state, shared by its loop and pushChild. */
interface Walk {
  readonly stack: Frame[];
  readonly maxValues: number;
  visited: number;
}

/** A container child gets a frame; a leaf is counted here. Module-level: no closure per container. */
function pushChild(walk: Walk, frame: Frame, depth: number, key: PropertyKey, child: unknown): ValueProblem | null {
  if (isContainer(child)) walk.stack.push({ value: child, key, parent: frame, depth });
  else if (++walk.visited > walk.maxValues) return { kind: 'size', path: [...pathOf(frame), key] };
  return null;
}

/**
 * The first problem found in `root` (null when it is within the bounds), how many values
 * were visited, and whether some object has an own key `__proto__` (JSON.parse makes one
 * such; superjson's copy drops it, so a decoder that skips the copy must know).
 */
export function walkValueWithKeys(
  root: unknown,
  bounds: ValueBounds,
): { problem: ValueProblem | null; values: number; protoKey: boolean } {
  const walk: Walk = { stack: [{ value: root, key: null, parent: null, depth: 0 }], maxValues: bounds.maxValues, visited: 0 };
  const { stack } = walk;
  let protoKey = false;
  const problem = (p: ValueProblem) => ({ problem: p, values: walk.visited, protoKey });
  // Objects on the path from the root to the frame being walked: meeting one again is a cycle.
  const onPath = new Set<object>();
  while (stack.length) {
    const frame = stack.pop()!;
    if (frame.entered) {
      onPath.delete(frame.value as object);
      continue;
    }
    if (++walk.visited > bounds.maxValues) return problem({ kind: 'size', path: pathOf(frame) });
    const { value } = frame;
    if (!isContainer(value)) continue;
    if (onPath.has(value)) return problem({ kind: 'cycle', path: pathOf(frame) });
    const depth = frame.depth + 1;
    if (depth > bounds.maxDepth) return problem({ kind: 'depth', path: pathOf(frame) });
    frame.entered = true;
    onPath.add(value);
    stack.push(frame);
    let found: ValueProblem | null = null;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length && !found; i++) found = pushChild(walk, frame, depth, i, value[i]);
    } else if (value instanceof Map || value instanceof Set) {
      for (const [key, child] of children(value)) if ((found = pushChild(walk, frame, depth, key, child))) break;
    } else {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        if (key === '__proto__') protoKey = true;
        if (bounds.checkKeys && isPrototypeKey(key)) return problem({ kind: 'key', path: [...pathOf(frame), key] });
        if ((found = pushChild(walk, frame, depth, key, record[key]))) break;
      }
    }
    if (found) return problem(found);
  }
  return { problem: null, values: walk.visited, protoKey };
}

/** A short sentence naming the problem, for error messages and schema issues. */
export function describeValueProblem(problem: ValueProblem, bounds: ValueBounds): string {
  switch (problem.kind) {
    case 'depth':
      return `must nest at most ${bounds.maxDepth} levels`;
    case 'size':
      return `must hold at most ${bounds.maxValues} values (shared references count once per place)`;
    case 'cycle':
      return 'must not refer to itself (a reference cycle)';
    case 'key':
      return `key ${JSON.stringify(String(problem.path.at(-1)))} ${PROTOTYPE_KEY_MESSAGE}`;
  }
}
