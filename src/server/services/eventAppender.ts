/**
 * The write half the log and metric services share: events of one type, one or a batch, as
 * the tRPC and REST doors send them (without a producer: the batch door numbers its own).
 */
import type { IngestEvent } from '../../shared/schemas/events';
import type { SessionEvent } from '../../shared/types';
import type { EventStore } from './eventStore';

type EventType = IngestEvent['type'];
/** An event of type T as a door takes it. */
type Input<T extends EventType> = Omit<Extract<IngestEvent, { type: T }>, 'type' | 'producerSeq'>;
/** What an event of type T is stored and returned as. */
type Stored<T extends EventType> = Extract<SessionEvent, { type: T }>['data'];

export abstract class EventAppender<T extends EventType> {
  protected constructor(
    protected readonly store: EventStore,
    private readonly type: T,
  ) {}

  /** One event, numbered after everything stored before it; its stored form. */
  async append(experimentId: string, input: Input<T>): Promise<Stored<T>> {
    const { events } = await this.store.append(experimentId, [this.typed(input)]);
    const event = events[0]!;
    if (event.type !== this.type) throw new Error('unreachable');
    return event.data as Stored<T>;
  }

  /** Events in order, in one statement: how many were stored and the last seq (0: none). */
  async appendBatch(experimentId: string, inputs: Input<T>[]): Promise<{ stored: number; lastSeq: number }> {
    const { events } = await this.store.append(
      experimentId,
      inputs.map((input) => this.typed(input)),
    );
    return { stored: events.length, lastSeq: events.at(-1)?.seq ?? 0 };
  }

  private typed(input: Input<T>): IngestEvent {
    // TypeScript does not see that T's input with T's type is the event of type T.
    return { type: this.type, ...input } as Extract<IngestEvent, { type: T }>;
  }
}
