/**
 * Serialise a live batch once, however many subscribers receive it.
 *
 * tRPC's WebSocket adapter transforms (superjson) and stringifies every message once per
 * subscriber. A session's subscribers all yield the same batch object (services/sessionFeed.ts),
 * so the transformer caches its superjson form by identity, and the encoder caches its JSON
 * text and splices it into each subscriber's small envelope. What goes on the wire is
 * exactly what superjson + JSON.stringify would have produced.
 *
 * A value known to be plain JSON (a published system sample, shared/plainJson.ts) is its own
 * superjson form, `{ json: value }`; its text is made once, for every subscriber and for the
 * notification to other instances alike.
 */
import superjson from 'superjson';
import type { DataTransformer } from '@trpc/server/unstable-core-do-not-import';
import { knownPlainJson, plainJsonText } from '../../shared/plainJson';
import { inputTransformer } from './inputDecoding';

type SuperJSONResult = ReturnType<typeof superjson.serialize>;
type Meta = NonNullable<SuperJSONResult['meta']>;

interface CachedItem {
  json: unknown;
  /** The item's meta with paths as seen from the tracked envelope `{ id, data }`. */
  meta: Meta | undefined;
}

const serializedItems = new WeakMap<object, CachedItem>();
const jsonTexts = new WeakMap<object, string>();

/** A tracked stream item as the adapter wraps it: `{ id, data }` around our batch. */
function isTrackedBatch(value: unknown): value is { id: string; data: { kind: 'events' } } {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { id?: unknown; data?: { kind?: unknown } };
  return typeof v.id === 'string' && Object.keys(v).length === 2 && v.data?.kind === 'events';
}

function prefixMeta(meta: Meta | undefined, prefix: string): Meta | undefined {
  if (!meta) return undefined;
  const re = (p: string) => `${prefix}.${p}`;
  const out: Meta = { ...meta };
  if (meta.values && !Array.isArray(meta.values)) {
    out.values = Object.fromEntries(Object.entries(meta.values).map(([k, v]) => [re(k), v])) as Meta['values'];
  }
  if (meta.referentialEqualities && !Array.isArray(meta.referentialEqualities)) {
    out.referentialEqualities = Object.fromEntries(
      Object.entries(meta.referentialEqualities).map(([k, v]) => [re(k), (v as string[]).map(re)]),
    ) as Meta['referentialEqualities'];
  }
  return out;
}

function serializeItem(item: object): CachedItem {
  let cached = serializedItems.get(item);
  if (!cached) {
    const { json, meta } = superjson.serialize(item);
    cached = { json, meta: prefixMeta(meta, 'data') };
    serializedItems.set(item, cached);
    if (typeof json === 'object' && json !== null) jsonTexts.set(json, JSON.stringify(json));
  }
  return cached;
}

const output: DataTransformer = {
  serialize(value: unknown) {
    if (knownPlainJson(value)) return { json: value };
    if (!isTrackedBatch(value)) return superjson.serialize(value);
    const { json, meta } = serializeItem(value.data);
    return meta ? { json: { id: value.id, data: json }, meta } : { json: { id: value.id, data: json } };
  },
  deserialize: (value) => superjson.deserialize(value as SuperJSONResult),
};

/** superjson, bounded on the way in (./inputDecoding.ts), with stream batches serialised once on the way out. */
export const transformer = { input: inputTransformer, output };

const TOKEN = '__cvsm_shared_json__';

/** The adapter's message encoder: JSON, with a shared batch's text spliced in. */
export const wsEncoder = {
  encode(message: unknown): string {
    const json = (message as { result?: { data?: { json?: { data?: unknown } } } })?.result?.data?.json;
    let shared: unknown = json?.data;
    let text = typeof shared === 'object' && shared !== null ? jsonTexts.get(shared) : undefined;
    if (text === undefined && knownPlainJson(json)) {
      shared = json;
      text = plainJsonText(json!);
    }
    if (text === undefined) return JSON.stringify(message);
    const envelope = JSON.stringify(message, (_key, value: unknown) => (value === shared ? TOKEN : value));
    return envelope.replace(`"${TOKEN}"`, () => text);
  },
  decode(data: string | ArrayBuffer | Uint8Array): unknown {
    if (typeof data !== 'string') throw new Error('text frames only');
    return JSON.parse(data);
  },
};
