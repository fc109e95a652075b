/** Log lines of a session: append (singly or in batches) and read back with filters. */
import type pg from 'pg';
import type { PrismaClient } from '../../generated/prisma/client';
import type { LogLevel } from '../../shared/schemas/common';
import { LOG_LEVELS } from '../../shared/schemas/common';
import { listLogsInput, type ListLogsInput } from '../../shared/schemas/queries';
import type { LogEntry } from '../../shared/types';
import { sessionNotFound } from './errors';
import { EventAppender } from './eventAppender';
import type { EventStore } from './eventStore';
import { containsPattern } from './likePattern';
import { toLogEntry, type LogRow } from './rows';

export class LogService extends EventAppender<'log'> {
  constructor(
    private readonly prisma: PrismaClient,
    store: EventStore,
    private readonly pool: pg.Pool,
  ) {
    super(store, 'log');
  }

  /**
   * The last `limit` matching entries, oldest first. One SQL statement on the pool: a page
   * of 1,000 rows read through Prisma Client cost about five times the query itself.
   * Without a level, a search or a seq bound this is a backward scan of the (session_id, seq)
   * index; a level uses (session_id, level, seq) when its lines are rare.
   */
  async list(query: ListLogsInput): Promise<{ items: LogEntry[]; hasMore: boolean }> {
    const q = listLogsInput.parse(query);
    const head = await this.store.head(q.experimentId);
    if (!head) throw sessionNotFound(q.experimentId);
    const limit = q.limit === 0 ? 10_000 : q.limit;
    const levels = q.level ? [q.level] : q.minLevel ? LOG_LEVELS.slice(LOG_LEVELS.indexOf(q.minLevel)) : null;
    const pattern = q.search ? containsPattern(q.search) : null;
    const { rows } = await this.pool.query<LogRow>(
      `SELECT seq, level, message, source, "timestamp" FROM log_entry
        WHERE session_id = $1
          AND ($2::"LogLevel"[] IS NULL OR level = ANY($2::"LogLevel"[]))
          AND ($3::text IS NULL OR message ILIKE $3)
          AND ($4::int IS NULL OR seq < $4) AND ($5::int IS NULL OR seq > $5)
        ORDER BY seq DESC LIMIT $6`,
      [head.sessionId, levels, pattern, q.beforeSeq ?? null, q.afterSeq ?? null, limit + 1],
    );
    return { items: rows.slice(0, limit).reverse().map(toLogEntry), hasMore: rows.length > limit };
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
