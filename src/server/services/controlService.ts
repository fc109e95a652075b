/**
 * Control requests (pause, resume, stop) from the web app to a run's trainer.
 *
 * A request is stored, then announced on the bus; the trainer's stream delivers the pending
 * ones first, then new ones, and the trainer acknowledges by changing the run's status
 * (see acknowledgeByStatus, called from the status path).
 */
import type pg from 'pg';
import type { ControlAction, ControlCommand } from '../../shared/schemas/control';
import type { SessionStatus } from '../../shared/schemas/common';
import { TERMINAL_STATUSES } from '../../shared/schemas/common';
import { sessionNotFound } from './errors';
import type { BusMessage, EventBus } from './eventBus';
import { LiveQueue } from './liveQueue';

interface ControlRow {
  id: number;
  action: ControlAction;
  message: string | null;
  requested_at: Date;
}

const toCommand = (r: ControlRow): ControlCommand => ({
  id: r.id,
  action: r.action,
  message: r.message,
  requestedAt: r.requested_at,
});

/** The request a status answers: a run that pauses has done what "pause" asked. */
const ANSWERS: Partial<Record<SessionStatus, ControlAction>> = { paused: 'pause', running: 'resume', stopped: 'stop' };

export interface TrackedControl {
  id: string;
  command: ControlCommand;
}

export class ControlService {
  constructor(
    private readonly pool: pg.Pool,
    private readonly bus: EventBus,
  ) {}

  /** Stores a request for the run's trainer and announces it once committed. */
  async request(experimentId: string, action: ControlAction, message?: string): Promise<ControlCommand> {
    const { rows } = await this.pool.query<ControlRow>(
      `INSERT INTO control_request (session_id, action, message)
       SELECT id, $2::"ControlAction", $3 FROM training_session WHERE experiment_id = $1
       RETURNING id, action, message, requested_at`,
      [experimentId, action, message ?? null],
    );
    const row = rows[0];
    if (!row) throw sessionNotFound(experimentId);
    this.bus.publish({ kind: 'control', experimentId, requestId: row.id });
    return toCommand(row);
  }

  /** The run's unacknowledged requests with an id above afterId, oldest first. */
  async pending(experimentId: string, afterId = 0): Promise<ControlCommand[]> {
    const { rows } = await this.pool.query<ControlRow>(
      `SELECT c.id, c.action, c.message, c.requested_at
         FROM control_request c JOIN training_session s ON s.id = c.session_id
        WHERE s.experiment_id = $1 AND c.id > $2 AND c.acknowledged_at IS NULL
        ORDER BY c.id`,
      [experimentId, afterId],
    );
    return rows.map(toCommand);
  }

  /**
   * Marks the requests a new status answers. A run that ended (completed, failed, stopped)
   * answers every pending request: nothing is left to pause or resume.
   */
  async acknowledgeByStatus(sessionId: number, status: SessionStatus): Promise<number> {
    const terminal = TERMINAL_STATUSES.includes(status);
    const action = ANSWERS[status];
    if (!terminal && !action) return 0;
    const { rowCount } = await this.pool.query(
      `UPDATE control_request SET acknowledged_at = now()
        WHERE session_id = $1 AND acknowledged_at IS NULL AND ($2::boolean OR action = $3::"ControlAction")`,
      [sessionId, terminal, action ?? null],
    );
    return rowCount ?? 0;
  }

  /**
   * The run's control requests, resumable by request id: pending ones after lastEventId
   * first, then new ones as they are made. Each bus message triggers a re-read of pending
   * requests, so one committed out of id order or announced while the stream was down is
   * still delivered; ids already delivered are not delivered again.
   */
  async *stream(
    experimentId: string,
    lastEventId: string | null | undefined,
    signal?: AbortSignal,
  ): AsyncGenerator<TrackedControl> {
    const queue = new LiveQueue<BusMessage>();
    const unsubscribe = this.bus.subscribeSession(experimentId, (m) => {
      if (m.kind === 'control' || m.kind === 'resync' || (m.kind === 'session' && m.change === 'created')) queue.push(m);
    });
    const parsed = Number(lastEventId);
    const after = lastEventId && Number.isSafeInteger(parsed) && parsed > 0 ? parsed : 0;
    const delivered = new Set<number>();
    try {
      for (;;) {
        for (const command of await this.pending(experimentId, after)) {
          if (delivered.has(command.id)) continue;
          delivered.add(command.id);
          yield { id: String(command.id), command };
        }
        if (!(await queue.takeAll(signal))) return;
      }
    } finally {
      unsubscribe();
      queue.end();
    }
  }
}
