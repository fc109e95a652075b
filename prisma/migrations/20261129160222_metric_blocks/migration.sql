-- CreateTable
CREATE TABLE "metric_block" (
    "session_id" INTEGER NOT NULL,
    "name" VARCHAR(128) NOT NULL,
    "block" INTEGER NOT NULL,
    "n" INTEGER NOT NULL,
    "first_seq" INTEGER NOT NULL,
    "last_seq" INTEGER NOT NULL,
    "value_sum" DOUBLE PRECISION,
    "value_min" DOUBLE PRECISION,
    "value_max" DOUBLE PRECISION,
    "nf_count" INTEGER NOT NULL,
    "nf_seq" INTEGER,
    "nf_value" DOUBLE PRECISION,
    "nf_step" INTEGER,
    "nf_epoch" INTEGER,
    "nf_time" DOUBLE PRECISION,
    "step_n" INTEGER NOT NULL,
    "step_sum" DOUBLE PRECISION,
    "step_min" INTEGER,
    "step_max" INTEGER,
    "epoch_sum" DOUBLE PRECISION NOT NULL,
    "epoch_min" INTEGER NOT NULL,
    "epoch_max" INTEGER NOT NULL,
    "time_sum" DOUBLE PRECISION NOT NULL,
    "time_min" DOUBLE PRECISION NOT NULL,
    "time_max" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "metric_block_pkey" PRIMARY KEY ("session_id","name","block")
);

-- AddForeignKey
ALTER TABLE "metric_block" ADD CONSTRAINT "metric_block_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "training_session"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- metric_block is a rollup of metric_point, kept by the trigger below rather than by the
-- application, so every write path keeps it right: the event store's batched INSERT from
-- unnest, bulk SQL loads, imports. The trigger is per statement over the inserted rows
-- (a transition table): a batch of any size costs one grouped aggregate and one upsert per
-- touched block, not one per point. Writes of a session are serialised by its row lock, and
-- ON CONFLICT merges into blocks that earlier statements started. Points are only ever
-- inserted or deleted with their session (which cascades here), so no UPDATE/DELETE trigger.
-- A value counts as finite unless it is NaN or ±Infinity (PostgreSQL compares NaN = NaN).
CREATE FUNCTION "metric_block_add"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO metric_block AS b (session_id, name, block, n, first_seq, last_seq, value_sum, value_min, value_max,
                          nf_count, nf_seq, nf_value, nf_step, nf_epoch, nf_time,
                          step_n, step_sum, step_min, step_max, epoch_sum, epoch_min, epoch_max,
                          time_sum, time_min, time_max)
  SELECT p.session_id, p.name, p.seq >> 8,
         count(*), min(p.seq), max(p.seq),
         sum(p.value) FILTER (WHERE p.finite), min(p.value) FILTER (WHERE p.finite), max(p.value) FILTER (WHERE p.finite),
         count(*) FILTER (WHERE NOT p.finite),
         (array_agg(p.seq ORDER BY p.seq) FILTER (WHERE NOT p.finite))[1],
         (array_agg(p.value ORDER BY p.seq) FILTER (WHERE NOT p.finite))[1],
         (array_agg(p.step ORDER BY p.seq) FILTER (WHERE NOT p.finite))[1],
         (array_agg(p.epoch ORDER BY p.seq) FILTER (WHERE NOT p.finite))[1],
         (array_agg(p.ms ORDER BY p.seq) FILTER (WHERE NOT p.finite))[1],
         count(p.step), sum(p.step)::float8, min(p.step), max(p.step),
         sum(p.epoch)::float8, min(p.epoch), max(p.epoch),
         sum(p.ms), min(p.ms), max(p.ms)
    FROM (SELECT n.*, n.value NOT IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8) AS finite,
                 (extract(epoch FROM n."timestamp") * 1000)::float8 AS ms
            FROM new_points n) p
   GROUP BY p.session_id, p.name, p.seq >> 8
  ON CONFLICT (session_id, name, block) DO UPDATE SET
    n = b.n + EXCLUDED.n,
    first_seq = LEAST(b.first_seq, EXCLUDED.first_seq),
    last_seq = GREATEST(b.last_seq, EXCLUDED.last_seq),
    -- LEAST and GREATEST skip NULLs; sums stay NULL only while neither side has a value.
    value_sum = CASE WHEN b.value_sum IS NULL THEN EXCLUDED.value_sum
                     WHEN EXCLUDED.value_sum IS NULL THEN b.value_sum
                     ELSE b.value_sum + EXCLUDED.value_sum END,
    value_min = LEAST(b.value_min, EXCLUDED.value_min),
    value_max = GREATEST(b.value_max, EXCLUDED.value_max),
    nf_count = b.nf_count + EXCLUDED.nf_count,
    nf_seq = CASE WHEN EXCLUDED.nf_seq < b.nf_seq OR b.nf_seq IS NULL THEN EXCLUDED.nf_seq ELSE b.nf_seq END,
    nf_value = CASE WHEN EXCLUDED.nf_seq < b.nf_seq OR b.nf_seq IS NULL THEN EXCLUDED.nf_value ELSE b.nf_value END,
    nf_step = CASE WHEN EXCLUDED.nf_seq < b.nf_seq OR b.nf_seq IS NULL THEN EXCLUDED.nf_step ELSE b.nf_step END,
    nf_epoch = CASE WHEN EXCLUDED.nf_seq < b.nf_seq OR b.nf_seq IS NULL THEN EXCLUDED.nf_epoch ELSE b.nf_epoch END,
    nf_time = CASE WHEN EXCLUDED.nf_seq < b.nf_seq OR b.nf_seq IS NULL THEN EXCLUDED.nf_time ELSE b.nf_time END,
    step_n = b.step_n + EXCLUDED.step_n,
    step_sum = CASE WHEN b.step_sum IS NULL THEN EXCLUDED.step_sum
                    WHEN EXCLUDED.step_sum IS NULL THEN b.step_sum
                    ELSE b.step_sum + EXCLUDED.step_sum END,
    step_min = LEAST(b.step_min, EXCLUDED.step_min),
    step_max = GREATEST(b.step_max, EXCLUDED.step_max),
    epoch_sum = b.epoch_sum + EXCLUDED.epoch_sum,
    epoch_min = LEAST(b.epoch_min, EXCLUDED.epoch_min),
    epoch_max = GREATEST(b.epoch_max, EXCLUDED.epoch_max),
    time_sum = b.time_sum + EXCLUDED.time_sum,
    time_min = LEAST(b.time_min, EXCLUDED.time_min),
    time_max = GREATEST(b.time_max, EXCLUDED.time_max);
  RETURN NULL;
END
$$;

CREATE TRIGGER "metric_block_add" AFTER INSERT ON "metric_point"
  REFERENCING NEW TABLE AS new_points
  FOR EACH STATEMENT EXECUTE FUNCTION "metric_block_add"();

-- Points stored before this migration: the same rollup, in one pass.
INSERT INTO metric_block (session_id, name, block, n, first_seq, last_seq, value_sum, value_min, value_max,
                         nf_count, nf_seq, nf_value, nf_step, nf_epoch, nf_time,
                         step_n, step_sum, step_min, step_max, epoch_sum, epoch_min, epoch_max,
                         time_sum, time_min, time_max)
SELECT p.session_id, p.name, p.seq >> 8,
       count(*), min(p.seq), max(p.seq),
       sum(p.value) FILTER (WHERE p.finite), min(p.value) FILTER (WHERE p.finite), max(p.value) FILTER (WHERE p.finite),
       count(*) FILTER (WHERE NOT p.finite),
       (array_agg(p.seq ORDER BY p.seq) FILTER (WHERE NOT p.finite))[1],
       (array_agg(p.value ORDER BY p.seq) FILTER (WHERE NOT p.finite))[1],
       (array_agg(p.step ORDER BY p.seq) FILTER (WHERE NOT p.finite))[1],
       (array_agg(p.epoch ORDER BY p.seq) FILTER (WHERE NOT p.finite))[1],
       (array_agg(p.ms ORDER BY p.seq) FILTER (WHERE NOT p.finite))[1],
       count(p.step), sum(p.step)::float8, min(p.step), max(p.step),
       sum(p.epoch)::float8, min(p.epoch), max(p.epoch),
       sum(p.ms), min(p.ms), max(p.ms)
  FROM (SELECT m.*, m.value NOT IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8) AS finite,
               (extract(epoch FROM m."timestamp") * 1000)::float8 AS ms
          FROM metric_point m) p
 GROUP BY p.session_id, p.name, p.seq >> 8;
