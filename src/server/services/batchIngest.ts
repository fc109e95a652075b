/**
 * A producer's ordered batch of log lines, metric reports and status changes, as the REST
 * batch door (the Python client) sends it. Runs of logs and metrics go through the same
 * write as `session.ingest`; a status change goes through the status path, numbered by the
 * same producer, so a retried batch is stored once and in order whatever it mixes.
 */
import type { SessionStatus } from '../../shared/schemas/common';
import type { IngestEvent } from '../../shared/schemas/events';
import type { EventStore } from './eventStore';
import type { SessionService } from './sessionService';

export interface StatusEvent {
  type: 'status';
  status: SessionStatus;
  message?: string;
}

export type BatchEvent = IngestEvent | StatusEvent;

/** A producer's events, numbered firstSeq, firstSeq + 1, ... in order. */
export interface ProducerBatch {
  producerId: string;
  firstSeq: number;
  events: BatchEvent[];
}

/** What every ingest door answers, in its own words. */
export interface BatchResult {
  stored: number;
  duplicates: number;
  /** The session's sequence number of the last event stored by this call. */
  lastSeq: number | null;
}

export class BatchIngest {
  constructor(
    private readonly store: EventStore,
    private readonly sessions: SessionService,
  ) {}

  /** Logs and metric reports in order (session.ingest); with a producer, numbered by their producerSeq. */
  async append(experimentId: string, events: IngestEvent[], producerId?: string): Promise<BatchResult> {
    const { events: stored, duplicates } = await this.store.append(experimentId, events, producerId);
    return { stored: stored.length, duplicates, lastSeq: stored.at(-1)?.seq ?? null };
  }

  async ingest(experimentId: string, { producerId, firstSeq, events }: ProducerBatch): Promise<BatchResult> {
    const result: BatchResult = { stored: 0, duplicates: 0, lastSeq: null };
    let run: IngestEvent[] = [];
    const flush = async () => {
      if (run.length === 0) return;
      const part = await this.append(experimentId, run, producerId);
      run = [];
      result.stored += part.stored;
      result.duplicates += part.duplicates;
      result.lastSeq = part.lastSeq ?? result.lastSeq;
    };
    for (const [i, event] of events.entries()) {
      const producerSeq = firstSeq + i;
      if (event.type !== 'status') {
        run.push({ ...event, producerSeq });
        continue;
      }
      await flush();
      const session = await this.sessions.setStatusOnce(
        { experimentId, status: event.status, message: event.message },
        { id: producerId, seq: producerSeq },
      );
      if (session) {
        result.stored++;
        result.lastSeq = session.lastSeq;
      } else {
        result.duplicates++;
      }
    }
    await flush();
    return result;
  }
}
