/**
 * Announces committed events to every subscriber of every app instance.
 *
 * In-process listeners are called at once (the fast path). Other instances on the same
 * PostgreSQL hear it through LISTEN/NOTIFY: a message that fits NOTIFY's 8 kB payload
 * travels whole; a larger one travels as a seq range that receivers read back from the
 * database. Notifications of one tick go out in a single statement.
 *
 * Nothing is lost if a notification is: subscribers number events by seq and read any gap
 * from the database, and after the LISTEN connection comes back every subscriber is told
 * to resync.
 *
 * System samples, a thousand hosts' worth a second, are notified only while another
 * instance listens: each listening connection holds a shared advisory lock, the holders
 * are counted every few seconds, and an instance that starts says so at once. A lone
 * instance (the usual case) sends its samples to nobody through the database no more.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import superjson from 'superjson';
import { isPlainJson, plainJsonText } from '../../shared/plainJson';
import type { SystemSample } from '../../shared/systemSample';
import type { SessionEvent, SessionInfo } from '../../shared/types';
import type { Logger } from '../../lib/logger';

export type BusMessage =
  | { kind: 'events'; experimentId: string; sessionId: number; events: SessionEvent[] }
  /** Events too large for a notification: read seq (fromSeq, toSeq] back from the database. */
  | { kind: 'events-ref'; experimentId: string; sessionId: number; fromSeq: number; toSeq: number }
  | { kind: 'session'; experimentId: string; change: 'created' | 'updated'; session: SessionInfo }
  | { kind: 'session'; experimentId: string; change: 'deleted' }
  /** A host's system sample, stored already. */
  | { kind: 'system'; sample: SystemSample }
  /** A control request (pause, resume, stop) for a run's trainer, stored already. */
  | { kind: 'control'; experimentId: string; requestId: number }
  /** API keys revoked, so every instance closes their sockets and forgets them. */
  | { kind: 'keys-revoked'; keyIds: number[] }
  /** Notifications may have been missed (connection to the database was lost). */
  | { kind: 'resync' };

export type BusListener = (message: BusMessage) => void;

/**
 * What a listener hears: one session, every session, or the hosts' system samples. A topic
 * is an object made only here, so no run id (not `*`, not `system`) can name another one;
 * the listener map's keys are private and prefixed by kind.
 */
export type Topic =
  { readonly kind: 'session'; readonly experimentId: string } | { readonly kind: 'all-sessions' | 'system' | 'api-keys' };

/** Every session's messages. */
export const ALL_SESSIONS: Topic = Object.freeze({ kind: 'all-sessions' });
/** System samples of every host. */
export const SYSTEM_SAMPLES: Topic = Object.freeze({ kind: 'system' });
/** API key revocations. */
export const API_KEYS: Topic = Object.freeze({ kind: 'api-keys' });
/** One session's messages. */
export const sessionTopic = (experimentId: string): Topic => ({ kind: 'session', experimentId });

const topicKey = (topic: Topic): string => (topic.kind === 'session' ? `session:${topic.experimentId}` : topic.kind);

const CHANNEL = 'cvsm_events';
/** NOTIFY payloads must stay under 8000 bytes. */
const MAX_PAYLOAD_BYTES = 7900;
/** Payloads per NOTIFY statement, each its own parameter (well under the protocol's 65,535). */
const PAYLOADS_PER_STATEMENT = 1000;
/** The shared advisory lock every listening connection holds (two-int form: pg_locks objsubid 2). */
const LISTENING_LOCK = [0x63767376, 1] as const;
/** How often the listening instances are counted. */
const COUNT_LISTENERS_EVERY_MS = 2_000;
/** What an instance notifies once it listens, so the others start sending it samples at once. */
const HELLO = 'hello';

/**
 * A message as its notification carries it. A system sample is plain JSON (./plainJson.ts)
 * and goes as `{"json":…}` with no meta: the very text superjson writes for it, without
 * superjson's walk, the largest cost of each sample here. Any instance reads either form.
 */
export function encodeBusMessage(message: BusMessage): string {
  if (message.kind === 'system' && isPlainJson(message.sample)) {
    return `{"json":{"kind":"system","sample":${plainJsonText(message.sample)}}}`;
  }
  return superjson.stringify(message);
}

/** A notification's message; a system sample that came as plain JSON is known as such. */
export function decodeBusMessage(text: string): BusMessage {
  const message = superjson.parse<BusMessage>(text);
  if (message.kind === 'system') isPlainJson(message.sample);
  return message;
}

/** A system message without its long lists (per-core loads, mounts, interfaces, GPU processes). */
export function slimSystemMessage(message: Extract<BusMessage, { kind: 'system' }>): BusMessage {
  const { per_core: _cores, ...cpu } = message.sample.cpu;
  const { filesystems: _mounts, ...disk } = message.sample.disk;
  const { interfaces: _interfaces, ...network } = message.sample.network;
  const gpu = message.sample.gpu.map(({ processes: _processes, ...g }) => g);
  return { kind: 'system', sample: { ...message.sample, cpu, disk, network, gpu } };
}

export class EventBus {
  readonly instanceId = randomUUID();
  private readonly listeners = new Map<string, Set<BusListener>>();
  private pending: string[] = [];
  private flushScheduled = false;
  private listenClient: pg.Client | null = null;
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  /** Whether another instance listens; true until counted, so nothing is withheld by guess. */
  private othersListening = true;
  /** When another instance's notification last arrived (epoch ms). */
  private heardOthersAt = 0;
  /** The listening connection's backend, not counted among the others. */
  private listenPid: number | null = null;
  private countTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
    private readonly log: Logger,
  ) {}

  /** Starts listening for other instances' events. */
  async start(): Promise<void> {
    await this.connectListener();
    await this.countListeners();
    this.countTimer = setInterval(() => void this.countListeners(), COUNT_LISTENERS_EVERY_MS);
    this.countTimer.unref();
  }

  /** Whether system samples are sent to other instances now (see the file's comment). */
  get notifiesSamples(): boolean {
    return this.othersListening;
  }

  /** Listens to a topic (see Topic); returns the function that stops it. */
  subscribe(topic: Topic, listener: BusListener): () => void {
    const key = topicKey(topic);
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(key) === set) this.listeners.delete(key);
    };
  }

  subscribeSession(experimentId: string, listener: BusListener): () => void {
    return this.subscribe(sessionTopic(experimentId), listener);
  }

  subscribeAllSessions(listener: BusListener): () => void {
    return this.subscribe(ALL_SESSIONS, listener);
  }

  subscribeSystem(listener: BusListener): () => void {
    return this.subscribe(SYSTEM_SAMPLES, listener);
  }

  /** Call only after the events are committed. */
  publish(message: BusMessage): void {
    // Asked before the listeners see it: the answer is remembered, so the sample's live
    // frames (api/sharedSerialization.ts) skip superjson's walk as its notification does.
    if (message.kind === 'system') isPlainJson(message.sample);
    this.deliver(message);
    this.queueNotification(message);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.countTimer) clearInterval(this.countTimer);
    await this.flush();
    const client = this.listenClient;
    this.listenClient = null;
    await client?.end().catch(() => {});
  }

  private deliver(message: BusMessage): void {
    const targets =
      message.kind === 'resync'
        ? [...this.listeners.keys()]
        : message.kind === 'system'
          ? [topicKey(SYSTEM_SAMPLES)]
          : message.kind === 'keys-revoked'
            ? [topicKey(API_KEYS)]
            : [topicKey(sessionTopic(message.experimentId)), topicKey(ALL_SESSIONS)];
    for (const key of targets) {
      for (const listener of this.listeners.get(key) ?? []) {
        try {
          listener(message);
        } catch (error) {
          this.log.error('bus listener failed', { error });
        }
      }
    }
  }

  private encode(message: BusMessage): string {
    return `${this.instanceId}|${encodeBusMessage(message)}`;
  }

  private queueNotification(message: BusMessage): void {
    if (message.kind === 'system' && !this.othersListening) return;
    this.queuePayload(this.encode(message), message);
  }

  /** Counts the other connections holding the listening lock; on failure, assumes there are some. */
  private async countListeners(): Promise<void> {
    const asked = Date.now();
    try {
      const { rows } = await this.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks
          WHERE locktype = 'advisory' AND classid = $1 AND objid = $2 AND objsubid = 2 AND granted
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND pid IS DISTINCT FROM $3::int`,
        [...LISTENING_LOCK, this.listenClient ? this.listenPid : null],
      );
      // A hello heard while counting is newer than the count.
      this.othersListening = rows[0]!.n > 0 || this.heardOthersAt >= asked;
    } catch {
      this.othersListening = true;
    }
  }

  private queuePayload(encoded: string, message: BusMessage | null): void {
    let payload = encoded;
    if (message && Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
      if (message.kind === 'events') {
        const seqs = message.events.map((e) => e.seq);
        const ref: BusMessage = {
          kind: 'events-ref',
          experimentId: message.experimentId,
          sessionId: message.sessionId,
          fromSeq: Math.min(...seqs) - 1,
          toSeq: Math.max(...seqs),
        };
        payload = this.encode(ref);
      } else if (message.kind === 'session' && message.change !== 'deleted') {
        // A huge config: others refetch the session when they need it.
        const slim = { ...message, session: { ...message.session, config: {} } };
        payload = this.encode(slim);
      } else if (message.kind === 'system') {
        // A host with many cores, mounts or GPU processes: the protocol fields still fit.
        payload = this.encode(slimSystemMessage(message));
      }
      if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
        // Still too large: drop it rather than fail the other notifications of this flush.
        this.log.warn('bus message too large to notify other instances', { kind: message.kind });
        return;
      }
    }
    this.pending.push(payload);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => void this.flush());
    }
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    if (this.pending.length === 0) return;
    const payloads = this.pending;
    this.pending = [];
    try {
      // Each payload its own text parameter: as one text[] the driver would escape every
      // quote of every payload into an array literal, and send the escapes too.
      for (let i = 0; i < payloads.length; i += PAYLOADS_PER_STATEMENT) {
        const chunk = payloads.slice(i, i + PAYLOADS_PER_STATEMENT);
        const list = chunk.map((_, k) => `$${k + 2}::text`).join(', ');
        await this.pool.query(`SELECT pg_notify($1, p) FROM unnest(ARRAY[${list}]) WITH ORDINALITY AS t(p, i) ORDER BY i`, [
          CHANNEL,
          ...chunk,
        ]);
      }
    } catch (error) {
      // Other instances catch up from the database on their next event or resync.
      this.log.warn('could not notify other instances', { error: (error as Error).message });
    }
  }

  private async connectListener(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('error', (error) => {
      this.log.warn('event listener connection lost', { error: error.message });
      void client.end().catch(() => {});
      if (this.listenClient === client) this.scheduleReconnect();
    });
    // A server shutting down may close the connection with no error event: 'end' is the one
    // sure sign, so the listener comes back whichever way it was lost.
    client.on('end', () => {
      if (this.listenClient !== client) return;
      this.log.warn('event listener connection ended');
      this.scheduleReconnect();
    });
    client.on('notification', (n) => {
      if (n.channel !== CHANNEL || !n.payload) return;
      // "<origin>|<message>": our own notifications come back too and are skipped unparsed.
      const bar = n.payload.indexOf('|');
      if (n.payload.slice(0, bar) === this.instanceId) return;
      // Someone else listens (and may have just started): send it samples from now on.
      this.othersListening = true;
      this.heardOthersAt = Date.now();
      if (n.payload.length === bar + 1 + HELLO.length && n.payload.endsWith(HELLO)) return;
      try {
        this.deliver(decodeBusMessage(n.payload.slice(bar + 1)));
      } catch (error) {
        this.log.warn('unreadable event notification', { error: (error as Error).message });
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      // Held while this connection lives: the others count it (countListeners).
      const { rows } = await client.query<{ pid: number }>('SELECT pg_advisory_lock_shared($1, $2), pg_backend_pid() AS pid', [
        ...LISTENING_LOCK,
      ]);
      this.listenPid = rows[0]!.pid;
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    this.listenClient = client;
    this.queuePayload(`${this.instanceId}|${HELLO}`, null);
    await this.flush();
  }

  private scheduleReconnect(attempt = 0): void {
    if (this.closed || this.reconnectTimer) return;
    this.listenClient = null;
    const delay = Math.min(250 * 2 ** attempt, 5000);
    this.reconnectTimer = setTimeout(async () => {
      this.reconnectTimer = null;
      if (this.closed) return;
      try {
        await this.connectListener();
        this.log.info('event listener reconnected');
        this.deliver({ kind: 'resync' });
      } catch {
        this.scheduleReconnect(attempt + 1);
      }
    }, delay);
    this.reconnectTimer.unref();
  }
}
