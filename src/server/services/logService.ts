/** Log lines of a session: append (singly or in batches) and read back with filters. */
import type { PrismaClient } from '../../generated/prisma/client';
import type { LogLevel } from '../../shared/schemas/common';
import { LOG_LEVELS } from '../../shared/schemas/common';
import type { LogEventInput } from '../../shared/schemas/events';
import { listLogsInput, type ListLogsInput } from '../../shared/schemas/queries';
import type { LogEntry } from '../../shared/types';
import { sessionNotFound } from './errors';
import type { EventStore } from './eventStore';

export class LogService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly store: EventStore,
  ) {}

  async append(experimentId: string, entry: LogEventInput): Promise<LogEntry> {
    const { events } = await this.store.append(experimentId, [{ type: 'log', ...entry }]);
    const event = events[0]!;
    if (event.type !== 'log') throw new Error('unreachable');
    return event.data;
  }

  async appendBatch(experimentId: string, entries: LogEventInput[]): Promise<{ stored: number; lastSeq: number }> {
    const { events } = await this.store.append(
      experimentId,
      entries.map((e) => ({ type: 'log' as const, ...e })),
    );
    return { stored: events.length, lastSeq: events.at(-1)?.seq ?? 0 };
  }

  /** The last `limit` matching entries, oldest first. */
  async list(query: ListLogsInput): Promise<{ items: LogEntry[]; hasMore: boolean }> {
    const q = listLogsInput.parse(query);
    const session = await this.prisma.trainingSession.findUnique({
      where: { experimentId: q.experimentId },
      select: { id: true },
    });
    if (!session) throw sessionNotFound(q.experimentId);
    const limit = q.limit === 0 ? 10_000 : q.limit;
    const levels = q.minLevel ? LOG_LEVELS.slice(LOG_LEVELS.indexOf(q.minLevel)) : undefined;
    const rows = await this.prisma.logEntry.findMany({
      where: {
        sessionId: session.id,
        ...(q.level ? { level: q.level } : levels ? { level: { in: [...levels] } } : {}),
        ...(q.search ? { message: { contains: q.search, mode: 'insensitive' } } : {}),
        ...(q.beforeSeq !== undefined || q.afterSeq !== undefined
          ? {
              seq: {
                ...(q.beforeSeq !== undefined ? { lt: q.beforeSeq } : {}),
                ...(q.afterSeq !== undefined ? { gt: q.afterSeq } : {}),
              },
            }
          : {}),
      },
      orderBy: { seq: 'desc' },
      take: limit + 1,
      select: { seq: true, level: true, message: true, source: true, timestamp: true },
    });
    return { items: rows.slice(0, limit).reverse(), hasMore: rows.length > limit };
  }

  /** How many lines of each level a session has. */
  async countByLevel(experimentId: string): Promise<Record<LogLevel, number>> {
    const session = await this.prisma.trainingSession.findUnique({ where: { experimentId }, select: { id: true } });
    if (!session) throw sessionNotFound(experimentId);
    const groups = await this.prisma.logEntry.groupBy({ by: ['level'], where: { sessionId: session.id }, _count: true });
    const counts = Object.fromEntries(LOG_LEVELS.map((l) => [l, 0])) as Record<LogLevel, number>;
    for (const g of groups) counts[g.level] = g._count;
    return counts;
  }
}
