/**
 * The statements that number and store a session's events. Each updates the session row
 * first, which locks it until commit, so numbers are handed out in commit order.
 */

/**
 * Hands out the numbers of $2 events (taking the session row's lock until commit) and
 * counts them; returns the session id and the number before the first. Shared by both
 * write paths (APPEND_SQL, and the COPY path in eventInsert.ts), with the same $1..$6.
 */
export const NUMBER_EVENTS_SQL = `
  UPDATE training_session
     SET last_seq = last_seq + $2::int,
         log_count = log_count + $3::int,
         metrics_count = metrics_count + $4::int,
         current_epoch = COALESCE($5::int, current_epoch),
         -- The run's rhythm for "stalled" (src/shared/stall.ts): the last 16 gaps between writes.
         event_gaps_ms = CASE WHEN last_seen_at IS NULL OR heartbeat_at IS NOT NULL THEN event_gaps_ms
           ELSE (COALESCE(event_gaps_ms, '{}') || LEAST(GREATEST(extract(epoch FROM $6 - last_seen_at) * 1000, 0), 2147483647)::int)
                [GREATEST(1, cardinality(event_gaps_ms) - 14):] END,
         last_seen_at = $6, updated_at = $6
   WHERE experiment_id = $1
   RETURNING id, last_seq - $2::int AS base`;

/** Numbers and stores log lines ($7..$11) and metric rows ($12..$17) in one statement. */
export const APPEND_SQL = `
WITH s AS (${NUMBER_EVENTS_SQL}
), l AS (
  INSERT INTO log_entry (session_id, seq, level, message, source, "timestamp")
  SELECT s.id, s.base + x.ord, x.level::"LogLevel", x.message, x.source, x.ts
    FROM s, unnest($7::int[], $8::text[], $9::text[], $10::text[], $11::timestamptz[])
         AS x(ord, level, message, source, ts)
), m AS (
  INSERT INTO metric_point (session_id, seq, epoch, step, name, value, "timestamp")
  SELECT s.id, s.base + x.ord, x.epoch, x.step, x.name, x.value, x.ts
    FROM s, unnest($12::int[], $13::int[], $14::int[], $15::text[], $16::float8[], $17::timestamptz[])
         AS x(ord, epoch, step, name, value, ts)
)
SELECT id, base FROM s`;

/** Moves a session to status $2 as its next event; returns the row and the status before. */
export const STATUS_SQL = `
WITH prev AS (
  SELECT id, status FROM training_session WHERE experiment_id = $1 FOR UPDATE
), s AS (
  UPDATE training_session t
     SET status = $2::"SessionStatus",
         last_seq = t.last_seq + 1,
         started_at = CASE WHEN $2::text = 'running' THEN COALESCE(t.started_at, $4) ELSE t.started_at END,
         ended_at = CASE WHEN $2::text = ANY($5::text[]) THEN COALESCE(t.ended_at, $4) ELSE NULL END,
         updated_at = $4
    FROM prev
   WHERE t.id = prev.id
  RETURNING t.*, prev.status AS previous_status
), c AS (
  INSERT INTO status_change (session_id, seq, from_status, to_status, message, current_epoch, total_epochs, "timestamp")
  SELECT id, last_seq, previous_status, status, $3, current_epoch, total_epochs, $4 FROM s
)
SELECT * FROM s`;

/** Creates a session with its first event (seq 1, queued), or updates it; `created` says which. */
export const CREATE_SQL = `
WITH up AS (
  INSERT INTO training_session AS t (experiment_id, config, total_epochs, host, last_seq, created_at, updated_at)
  VALUES ($1, COALESCE($2::jsonb, '{}'), COALESCE($3::int, 0), $4, 1, $5, $5)
  ON CONFLICT (experiment_id) DO UPDATE
     SET config = COALESCE($2::jsonb, t.config),
         total_epochs = COALESCE($3::int, t.total_epochs),
         host = COALESCE($4, t.host),
         updated_at = $5
  RETURNING t.*, (xmax = 0) AS created
), c AS (
  INSERT INTO status_change (session_id, seq, from_status, to_status, message, current_epoch, total_epochs, "timestamp")
  SELECT id, 1, NULL, 'queued', 'Session created', current_epoch, total_epochs, $5 FROM up WHERE created
)
SELECT * FROM up`;
