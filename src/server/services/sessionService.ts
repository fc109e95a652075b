/** Training sessions: create, read, list, change status, heartbeat, delete. */
import type { PrismaClient } from '../../generated/prisma/client';
import type { CreateSessionInput, ListSessionsInput, SetStatusInput } from '../../shared/schemas/session';
import { listSessionsInput } from '../../shared/schemas/session';
import type { SessionInfo, StatusChangeEntry } from '../../shared/types';
import { stallAfterMs } from '../../shared/stall';
import { sessionNotFound } from './errors';
import { stallFloorMs } from './rows';
import type { EventBus } from './eventBus';
import type { ControlService } from './controlService';
import type { EventStore } from './eventStore';
import { escapeLike } from './likePattern';

type SessionModel = Awaited<ReturnType<PrismaClient['trainingSession']['findFirstOrThrow']>>;

export const sessionFromModel = (s: SessionModel): SessionInfo => ({
  id: s.id,
  experimentId: s.experimentId,
  status: s.status,
  config: (s.config ?? {}) as Record<string, unknown>,
  host: s.host,
  currentEpoch: s.currentEpoch,
  totalEpochs: s.totalEpochs,
  logCount: s.logCount,
  metricsCount: s.metricsCount,
  lastSeq: s.lastSeq,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
  startedAt: s.startedAt,
  endedAt: s.endedAt,
  lastSeenAt: s.lastSeenAt,
  heartbeatAt: s.heartbeatAt,
  stallAfterMs: stallAfterMs(s, stallFloorMs()),
});

export class SessionService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: EventStore,
    private readonly bus: EventBus,
    private readonly controls: ControlService,
  ) {}

  /** Creates a session, or returns the existing one with config and total epochs updated where given. */
  create(input: CreateSessionInput): Promise<{ session: SessionInfo; created: boolean }> {
    return this.store.createSession(input);
  }

  async find(experimentId: string): Promise<SessionInfo | null> {
    const s = await this.prisma.trainingSession.findUnique({ where: { experimentId } });
    return s ? sessionFromModel(s) : null;
  }

  async get(experimentId: string): Promise<SessionInfo> {
    const session = await this.find(experimentId);
    if (!session) throw sessionNotFound(experimentId);
    return session;
  }

  /** Newest first. */
  async list(query: ListSessionsInput = {}): Promise<{ items: SessionInfo[]; nextCursor: number | null }> {
    const { status, search, limit, cursor } = listSessionsInput.parse(query);
    const rows = await this.prisma.trainingSession.findMany({
      where: {
        ...(status?.length ? { status: { in: status } } : {}),
        // Prisma's contains is a LIKE that leaves % and _ live: escaped, the search is a substring.
        ...(search ? { experimentId: { contains: escapeLike(search), mode: 'insensitive' } } : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
      ...(cursor !== undefined ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    const items = rows.slice(0, limit).map(sessionFromModel);
    return { items, nextCursor: rows.length > limit ? items.at(-1)!.id : null };
  }

  /**
   * Records a status change. started_at is set the first time a session runs; ended_at when
   * it enters completed, failed or stopped, and cleared if it leaves them.
   */
  async setStatus(input: SetStatusInput): Promise<SessionInfo> {
    const session = await this.store.setStatus(input.experimentId, input.status, input.message);
    // A trainer answers a control request by changing status; this records the answer.
    await this.controls.acknowledgeByStatus(session.id, session.status);
    return session;
  }

  /** setStatus as a producer's numbered event: a retry of one already stored changes nothing (null). */
  async setStatusOnce(input: SetStatusInput, producer: { id: string; seq: number }): Promise<SessionInfo | null> {
    const session = await this.store.setStatusOnce(input.experimentId, input.status, input.message, producer);
    if (session) await this.controls.acknowledgeByStatus(session.id, session.status);
    return session;
  }

  /** Every status change of a session, oldest first (a handful per run: chart markers, history). */
  async statusHistory(experimentId: string): Promise<StatusChangeEntry[]> {
    const s = await this.prisma.trainingSession.findUnique({
      where: { experimentId },
      include: { statusChanges: { orderBy: { seq: 'asc' } } },
    });
    if (!s) throw sessionNotFound(experimentId);
    return s.statusChanges.map((c) => ({
      seq: c.seq,
      status: c.toStatus,
      previousStatus: c.fromStatus,
      message: c.message,
      currentEpoch: c.currentEpoch,
      totalEpochs: c.totalEpochs,
      startedAt: s.startedAt,
      endedAt: s.endedAt,
      timestamp: c.timestamp,
    }));
  }

  /** A trainer saying it is alive. */
  async heartbeat(experimentId: string): Promise<SessionInfo> {
    const now = new Date();
    const result = await this.prisma.trainingSession.updateManyAndReturn({
      where: { experimentId },
      data: { lastSeenAt: now, heartbeatAt: now },
    });
    if (!result[0]) throw sessionNotFound(experimentId);
    return sessionFromModel(result[0]);
  }

  /** Removes the session with its logs, metrics and status history. */
  async delete(experimentId: string): Promise<void> {
    const { count } = await this.prisma.trainingSession.deleteMany({ where: { experimentId } });
    if (count === 0) throw sessionNotFound(experimentId);
    this.bus.publish({ kind: 'session', experimentId, change: 'deleted' });
  }
}
