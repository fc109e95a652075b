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
  producerSeq: number;
}

export type BatchEvent = (IngestEvent & { producerSeq: number }) | StatusEvent;

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

  async ingest(experimentId: string, producerId: string, events: BatchEvent[]): Promise<BatchResult> {
    const result: BatchResult = { stored: 0, duplicates: 0, lastSeq: null };
    let run: IngestEvent[] = [];
    const flush = async () => {
      if (run.length === 0) return;
      const { events: stored, duplicates } = await this.store.append(experimentId, run, producerId);
      run = [];
      result.stored += stored.length;
      result.duplicates += duplicates;
      result.lastSeq = stored.at(-1)?.seq ?? result.lastSeq;
    };
    for (const event of events) {
      if (event.type !== 'status') {
        run.push(event);
        continue;
      }
      await flush();
      const session = await this.sessions.setStatusOnce(
        { experimentId, status: event.status, message: event.message },
        { id: producerId, seq: event.producerSeq },
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
