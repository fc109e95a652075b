/**
 * What a hostile client sends (fast-check arbitraries): wrong types, huge and deeply nested
 * JSON, unicode with lone surrogates and NUL, NaN tokens, SQL-looking strings, superjson meta
 * that points anywhere, truncated text and bytes that are not UTF-8.
 */
import fc from 'fast-check';
import superjson from 'superjson';

const SQL = [
  "'; DROP TABLE log_entry; --",
  "1' OR '1'='1",
  '" OR ""="',
  "%' UNION SELECT key_hash FROM api_key --",
  '$1',
  "'); SELECT pg_sleep(10); --",
  "E'\\\\x00'",
];
const ODD = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83d',
  '\u202e\u200b',
  '💥🔥',
  'NaN',
  'Infinity',
  '-Infinity',
  '__proto__',
  'constructor',
  'prototype',
  '../../etc/passwd',
  '%',
  '%00',
  '%E0%A4%A',
  '%2F..%2F',
  '\\',
  '?#',
  'x'.repeat(129),
  'x'.repeat(70_000),
  // Ids no door may accept: control and format characters, blank, names REST cannot address.
  'line\nbreak',
  'tab\there',
  '\r',
  '\u2028',
  '\u200b',
  '\ufeffbom',
  '\u0085',
  '   ',
  '.',
  'sessions',
];
export const nastyString = fc.oneof(
  fc.constantFrom(...SQL, ...ODD),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ maxLength: 8 }),
);
const KEYS = [
  'experimentId',
  'experiment_id',
  'events',
  'type',
  'level',
  'min_level',
  'message',
  'source',
  'epoch',
  'step',
  'values',
  'metrics',
  'config',
  'totalEpochs',
  'total_epochs',
  'status',
  'limit',
  'cursor',
  'lastEventId',
  'producer',
  'producerSeq',
  'samples',
  'hostname',
  'name',
  'scope',
  'key',
  'action',
  'timestamp',
  'search',
  'from',
  'to',
  'names',
  'json',
  'meta',
];
const key = fc.oneof(fc.constantFrom(...KEYS), nastyString);
const leaf = fc.oneof(
  nastyString,
  fc.double(), // NaN and ±Infinity included
  fc.integer(),
  fc.constantFrom(0, -1, 2 ** 31, 2 ** 53, Number.MAX_VALUE, -0, 1e-320),
  fc.boolean(),
  fc.constant(null),
  fc.date({ noInvalidDate: false }),
);
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    leaf,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(key, tie('value'), { maxKeys: 6 }),
  ),
}));

/** Near-valid inputs with one field replaced: they get past the first checks, deeper in. */
const TEMPLATES: Record<string, unknown>[] = [
  { experimentId: 'fuzz', level: 'INFO', message: 'm' },
  {
    experimentId: 'fuzz',
    events: [
      { type: 'log', message: 'm' },
      { type: 'metrics', epoch: 1, values: { loss: 1 } },
    ],
  },
  { experimentId: 'fuzz', epoch: 1, step: 2, values: { loss: 0.5 } },
  { experimentId: 'fuzz', status: 'running', message: 'x' },
  { experimentId: 'fuzz', config: { lr: 0.1 }, totalEpochs: 10 },
  { experiment_id: 'fuzz', config: { lr: 0.1 }, total_epochs: 10 },
  { level: 'INFO', message: 'm', source: 's' },
  { epoch: 1, step: 2, metrics: { loss: 0.5 } },
  { status: 'running' },
  { experimentId: 'fuzz', limit: 10, names: ['loss'] },
  { samples: [{ hostname: 'h', timestamp: new Date(0) }] },
];
const nearValid = fc
  .tuple(fc.constantFrom(...TEMPLATES), key, value)
  .map(([template, k, v]) => ({ ...template, [k]: v }) as unknown);
export const input = fc.oneof(value, nearValid);

/** Bodies no generator of values writes: deep, huge, truncated, not JSON at all. */
// Deeper than any call stack holds frames for (about 10,000), so recursion would show.
export const DEEP = 50_000;
export const SPECIAL_TEXTS = [
  '['.repeat(DEEP) + ']'.repeat(DEEP),
  '{"a":'.repeat(DEEP) + '1' + '}'.repeat(DEEP),
  '['.repeat(DEEP) + 'NaN' + ']'.repeat(DEEP),
  '{"experiment_id":"deep","config":' + '{"a":'.repeat(DEEP) + 'NaN' + '}'.repeat(DEEP) + '}',
  '{"json":' + '['.repeat(DEEP) + ']'.repeat(DEEP) + '}',
  '{"json":{"experimentId":"deep","config":' + '{"a":'.repeat(DEEP) + '1' + '}'.repeat(DEEP + 1) + '}',
  '{"level":"INFO","message":"' + 'x'.repeat(256 * 1024) + '"}',
  '{' + Array.from({ length: 20_000 }, (_, i) => `"k${i}":${i}`).join(',') + '}',
  '[' + '1,'.repeat(50_000) + '1]',
  'NaN',
  '-Infinity',
  '{"epoch": NaN, "metrics": {"loss": Infinity, "x": -Infinity, "y": NaNa}}',
  '{"a": "\\ud800", "b": "\\u0000", "c": "\\udfff\\ud800"}',
  '{"json":{"experimentId":"x"},"meta":{"values":{"experimentId":["custom","nope"]}}}',
  '{"json":{"a":1},"meta":{"values":{"__proto__":["set"]},"referentialEqualities":{"a":["__proto__.polluted"]}}}',
  '{"json":1,"meta":{"values":[["class","Foo"]]}}',
  '{"0":{"json":null},"1":{"json":{"experimentId":"x"}}}',
  '\u0000',
  '{"message": "unterminated',
  '{"a":1}garbage',
  '\uFEFF{"status":"running"}',
  // superjson references: a cycle, a cycle through the root, a shared object, one that
  // multiplies itself (2^40 values from a few hundred bytes), and a Set annotation.
  '{"json":{"experimentId":"c","config":{"a":{},"b":null}},"meta":{"referentialEqualities":{"config.a":["config.b","config.a.self"]}}}',
  '{"json":{"experimentId":"c","config":{"a":{}}},"meta":{"referentialEqualities":[["config.a.root"]]}}',
  '{"json":{"experimentId":"shared","config":{"a":{"x":1},"b":null}},"meta":{"referentialEqualities":{"config.a":["config.b"]}}}',
  laughs(40),
  '{"json":{"experimentId":"x","names":["a","b"]},"meta":{"values":{"names":["set"]}}}',
  // Prototype-named keys where records are accepted.
  '{"experiment_id":"p","config":{"constructor":{}}}',
  '{"experiment_id":"p","config":{"a":[{"prototype":1}]}}',
  '{"epoch":1,"metrics":{"constructor":1}}',
  '{"json":{"experimentId":"p","epoch":1,"values":{"__proto__":1}}}',
  '{"json":{"experimentId":"p","config":{"__proto__":{"polluted":true}}}}',
];
/** superjson meta whose references nest `levels` deep, each level holding the one below twice. */
function laughs(levels: number): string {
  const refs: Record<string, string[]> = {};
  let json = '1';
  for (let i = levels - 1; i >= 0; i--) {
    const path = ['config', ...Array.from({ length: i }, () => 'l')].join('.');
    refs[`${path}.l`] = [`${path}.r`];
    json = `{"l":${json},"r":null}`;
  }
  return JSON.stringify({
    json: { experimentId: 'laughs', config: JSON.parse(json) as unknown },
    meta: { referentialEqualities: refs },
  });
}

export const text = fc.oneof(
  fc.constantFrom(...SPECIAL_TEXTS),
  input.map((v) => safeStringify(v).slice(0, -1)), // truncated
  fc.string({ unit: 'binary', maxLength: 200 }),
);

/** JSON text of any value (Dates as strings, BigInt impossible here, cycles impossible). */
export function safeStringify(v: unknown): string {
  return JSON.stringify(v) ?? 'null';
}

/** superjson's form of a value; superjson itself refuses keys like __proto__, so those go raw. */
function superjsonText(v: unknown): string {
  try {
    return JSON.stringify(superjson.serialize(v));
  } catch {
    return safeStringify({ json: v });
  }
}

/** A superjson path into the inputs above, sometimes through itself. */
const refPath = fc
  .array(fc.constantFrom('config', 'a', 'b', 'self', '0', 'events', 'values', 'experimentId', '__proto__'), {
    minLength: 1,
    maxLength: 4,
  })
  .map((p) => p.join('.'));
const references = fc.oneof(
  fc.dictionary(refPath, fc.array(refPath, { minLength: 1, maxLength: 3 }), { maxKeys: 3 }),
  fc.array(refPath, { minLength: 1, maxLength: 2 }).map((root) => [root]),
);

/** A tRPC input as a client might put it on the wire: superjson-shaped or not, or garbage. */
export const trpcWire = fc.oneof(
  input.map(superjsonText),
  fc.tuple(input, value).map(([v, meta]) => safeStringify({ json: v, meta })),
  fc.tuple(input, references).map(([v, r]) => safeStringify({ json: v, meta: { referentialEqualities: r } })),
  input.map(safeStringify),
  text,
);

export const body = fc.oneof(
  { weight: 3, arbitrary: trpcWire.map((s): string | Buffer => s) },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)), // invalid UTF-8 too
  },
);
export const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=latin1',
  'text/plain',
  'application/octet-stream',
  'multipart/form-data; boundary=xyz',
  'application/x-www-form-urlencoded',
  undefined,
);
export const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS');
