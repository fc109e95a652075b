/**
 * Alerts in PostgreSQL. Raising and resolving are single transactions that also write the
 * outbox rows (alert_delivery), so an alert that is stored is sure to be sent, once, by
 * some instance, even across a crash. The partial unique index on open alerts makes
 * instances that see the same condition agree on one alert.
 */
import type pg from 'pg';
import { alertLink, type AlertInfo, type Condition } from './alertTypes';
import { isRepeat } from './throttle';
import { inTransaction } from '../transaction';

/** An alert as read, named as AlertInfo names its fields; only `link` is derived. */
type AlertRow = Omit<AlertInfo, 'link'>;

const SELECT = `SELECT a.id, a.rule_id AS "ruleId", r.name AS "ruleName", r.kind, r.severity, a.subject, a.run, a.host,
                       a.message, a.value, a.triggered_at AS "triggeredAt", a.raised_at AS "raisedAt",
                       a.resolved_at AS "resolvedAt", a.read_at AS "readAt", a.throttled, a.updated_at AS "updatedAt"
                  FROM alert a JOIN alert_rule r ON r.id = a.rule_id`;

// In AlertInfo's order (link before updatedAt), so the API's JSON reads as it always has.
const toAlert = ({ updatedAt, ...r }: AlertRow): AlertInfo => ({ ...r, link: alertLink(r), updatedAt });

/** Outbox rows for every enabled webhook, for one alert and event. */
const ENQUEUE_SQL = `
  INSERT INTO alert_delivery (alert_id, webhook_id, event)
  SELECT $1, w.id, $2 FROM alert_webhook w WHERE w.enabled
  ON CONFLICT (alert_id, webhook_id, event) DO NOTHING`;

export class AlertStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly throttleMs: () => number,
  ) {}

  /**
   * Raises an alert unless one is open for this rule and subject. Returns the new alert,
   * or null when another instance (or an earlier event) raised it already.
   */
  async raise(c: Condition): Promise<AlertInfo | null> {
    const id = await inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO alert (rule_id, subject, run, host, message, value, triggered_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (rule_id, subject) WHERE resolved_at IS NULL DO NOTHING
         RETURNING id`,
        [c.ruleId, c.subject, c.run ?? null, c.host ?? null, c.message, c.value ?? null, c.at],
      );
      const id = rows[0]?.id;
      if (id === undefined) return undefined;
      if (await isRepeat(client, { id, ruleId: c.ruleId, subject: c.subject }, this.throttleMs())) {
        await client.query('UPDATE alert SET throttled = true WHERE id = $1', [id]);
      } else await client.query(ENQUEUE_SQL, [id, 'raised']);
      return id;
    });
    return id === undefined ? null : this.get(id);
  }

  /** Resolves the open alert of this rule and subject, if any; a sent alert sends "resolved". */
  async resolve(ruleId: number, subject: string, at: Date): Promise<AlertInfo | null> {
    const { rows } = await this.pool.query<{ id: number }>(
      `WITH r AS (
         UPDATE alert SET resolved_at = $3, updated_at = now()
          WHERE rule_id = $1 AND subject = $2 AND resolved_at IS NULL
         RETURNING id, throttled
       ), d AS (
         INSERT INTO alert_delivery (alert_id, webhook_id, event)
         SELECT r.id, w.id, 'resolved' FROM r, alert_webhook w
          WHERE w.enabled AND NOT r.throttled
            AND EXISTS (SELECT 1 FROM alert_delivery x WHERE x.alert_id = r.id AND x.webhook_id = w.id AND x.event = 'raised')
         ON CONFLICT (alert_id, webhook_id, event) DO NOTHING
       )
       SELECT id FROM r`,
      [ruleId, subject, at],
    );
    return rows[0] ? this.get(rows[0].id) : null;
  }

  async get(id: number): Promise<AlertInfo | null> {
    const { rows } = await this.pool.query<AlertRow>(`${SELECT} WHERE a.id = $1`, [id]);
    return rows[0] ? toAlert(rows[0]) : null;
  }

  /** Newest first. */
  async list(query: { limit: number; unreadOnly?: boolean; openOnly?: boolean }): Promise<AlertInfo[]> {
    const { rows } = await this.pool.query<AlertRow>(
      `${SELECT} WHERE ($2::bool IS NOT TRUE OR a.read_at IS NULL) AND ($3::bool IS NOT TRUE OR a.resolved_at IS NULL)
        ORDER BY a.id DESC LIMIT $1`,
      [query.limit, query.unreadOnly ?? false, query.openOnly ?? false],
    );
    return rows.map(toAlert);
  }

  async unreadCount(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM alert WHERE read_at IS NULL');
    return rows[0]!.n;
  }

  /** Marks the given alerts read, or every one when no ids are given. */
  async markRead(ids?: number[]): Promise<number> {
    const { rowCount } = await this.pool.query(
      `UPDATE alert SET read_at = now(), updated_at = now() WHERE read_at IS NULL AND ($1::int[] IS NULL OR id = ANY($1))`,
      [ids ?? null],
    );
    return rowCount ?? 0;
  }

  /** Alerts raised or changed since a time (the live feed polls this; see alertFeed.ts). */
  async changedSince(since: Date): Promise<AlertInfo[]> {
    const { rows } = await this.pool.query<AlertRow>(`${SELECT} WHERE a.updated_at > $1 ORDER BY a.updated_at, a.id`, [since]);
    return rows.map(toAlert);
  }

  /** The open alerts' rule and subject, for the evaluator's view of what is raised. */
  async openKeys(): Promise<{ ruleId: number; subject: string }[]> {
    const { rows } = await this.pool.query<{ rule_id: number; subject: string }>(
      'SELECT rule_id, subject FROM alert WHERE resolved_at IS NULL',
    );
    return rows.map((r) => ({ ruleId: r.rule_id, subject: r.subject }));
  }
}
