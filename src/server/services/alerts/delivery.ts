/**
 * Sends the outbox (alert_delivery) to webhooks. Every instance runs one; each due row is
 * claimed by exactly one of them (FOR UPDATE SKIP LOCKED, then a lease), so an alert is
 * sent once however many instances run. A failed send is retried with exponential backoff;
 * a claim left by a crashed instance expires and is taken over. Rows stay as the log.
 */
import type pg from 'pg';
import type { Logger } from '../../../lib/logger';
import type { AlertStore } from './alertStore';
import { webhookBody, type DeliveryEvent, type WebhookFormat } from './webhookFormats';

export interface DeliveryOptions {
  /** The app's public address, for links. */
  baseUrl: string;
  pollMs?: number;
  leaseMs?: number;
  maxAttempts?: number;
  retryBaseMs?: number;
  timeoutMs?: number;
}

interface Claimed {
  id: number;
  alert_id: number;
  event: DeliveryEvent;
  attempts: number;
  url: string;
  format: WebhookFormat;
}

// A "resolved" message waits until its "raised" one is out, so receivers see them in order.
const CLAIM_SQL = `
WITH c AS (
  UPDATE alert_delivery SET lease_until = now() + make_interval(secs => $1), attempts = attempts + 1
   WHERE id IN (
     SELECT d.id FROM alert_delivery d
      WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND (d.lease_until IS NULL OR d.lease_until < now())
        AND NOT (d.event = 'resolved' AND EXISTS (
          SELECT 1 FROM alert_delivery p
           WHERE p.alert_id = d.alert_id AND p.webhook_id = d.webhook_id AND p.event = 'raised' AND p.status = 'pending'))
      ORDER BY d.id LIMIT 20
      FOR UPDATE SKIP LOCKED)
  RETURNING id, alert_id, webhook_id, event, attempts
)
SELECT c.id, c.alert_id, c.event, c.attempts, w.url, w.format FROM c JOIN alert_webhook w ON w.id = c.webhook_id`;

export interface DeliveryLogEntry {
  id: number;
  alertId: number;
  webhookId: number;
  webhookName: string;
  event: DeliveryEvent;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  responseStatus: number | null;
  lastError: string | null;
  nextAttemptAt: Date;
  deliveredAt: Date | null;
  createdAt: Date;
}

export class DeliveryWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private readonly o: Required<DeliveryOptions>;

  constructor(
    private readonly pool: pg.Pool,
    private readonly alerts: AlertStore,
    private readonly log: Logger,
    options: DeliveryOptions,
  ) {
    // The lease outlasts the send timeout, so a claim expires only when its instance is gone.
    this.o = { pollMs: 500, leaseMs: 15_000, maxAttempts: 10, retryBaseMs: 1000, timeoutMs: 10_000, ...options };
  }

  start(): void {
    this.timer = setInterval(() => this.kick(), this.o.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Looks at the outbox now (after this instance raised or resolved something). */
  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: Error) => this.log.warn('alert delivery failed', { error: error.message }))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  async deliveryLog(limit: number): Promise<DeliveryLogEntry[]> {
    const { rows } = await this.pool.query(
      `SELECT d.id, d.alert_id AS "alertId", d.webhook_id AS "webhookId", w.name AS "webhookName", d.event, d.status,
              d.attempts, d.response_status AS "responseStatus", d.last_error AS "lastError",
              d.next_attempt_at AS "nextAttemptAt", d.delivered_at AS "deliveredAt", d.created_at AS "createdAt"
         FROM alert_delivery d JOIN alert_webhook w ON w.id = d.webhook_id
        ORDER BY d.id DESC LIMIT $1`,
      [limit],
    );
    return rows as DeliveryLogEntry[];
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const { rows } = await this.pool.query<Claimed>(CLAIM_SQL, [this.o.leaseMs / 1000]);
      if (rows.length === 0) return;
      await Promise.all(rows.map((row) => this.send(row)));
    }
  }

  private async send(row: Claimed): Promise<void> {
    const alert = await this.alerts.get(row.alert_id);
    if (!alert) return; // its rule was deleted, and the alert with it
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(row.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(webhookBody(row.format, alert, row.event, this.o.baseUrl)),
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
      status = res.status;
      await res.body?.cancel();
      if (!res.ok) error = `HTTP ${res.status}`;
    } catch (e) {
      error = (e as Error).message;
    }
    if (error === null) {
      await this.pool.query(
        `UPDATE alert_delivery SET status = 'delivered', delivered_at = now(), response_status = $2, last_error = NULL,
                lease_until = NULL WHERE id = $1`,
        [row.id, status],
      );
      return;
    }
    const giveUp = row.attempts >= this.o.maxAttempts;
    const backoffMs = Math.min(this.o.retryBaseMs * 2 ** (row.attempts - 1), 300_000);
    this.log.warn('webhook delivery failed', { delivery: row.id, attempt: row.attempts, error, giveUp });
    await this.pool.query(
      `UPDATE alert_delivery SET status = $2, response_status = $3, last_error = $4, lease_until = NULL,
              next_attempt_at = now() + make_interval(secs => $5) WHERE id = $1`,
      [row.id, giveUp ? 'failed' : 'pending', status, error.slice(0, 500), backoffMs / 1000],
    );
  }
}
