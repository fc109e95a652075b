/**
 * Throttling of repeats: one message per rule and subject per window. An alert raised
 * again inside the window (a flapping condition) is stored and shown, but not sent, and
 * its resolution is not sent either.
 */
import type pg from 'pg';

/** Whether another alert of this rule and subject was sent (not throttled) inside the window. */
export async function isRepeat(
  client: pg.PoolClient,
  alert: { id: number; ruleId: number; subject: string },
  windowMs: number,
): Promise<boolean> {
  if (windowMs <= 0) return false;
  const { rows } = await client.query(
    `SELECT 1 FROM alert WHERE rule_id = $1 AND subject = $2 AND id <> $3 AND NOT throttled
        AND raised_at > now() - make_interval(secs => $4) LIMIT 1`,
    [alert.ruleId, alert.subject, alert.id, windowMs / 1000],
  );
  return rows.length > 0;
}
