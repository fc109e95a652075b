-- Raw host seconds folded by the minute (see src/server/services/system/hostFold.ts): a
-- completed minute of a host is one host_minute row of 60-slot arrays, which TOAST
-- compresses, instead of 60 rows of about 230 bytes each. host_second keeps single rows for
-- the minutes still arriving (and late samples until the next fold). host_sample becomes a
-- view of both, one row per host per second as before, for SQL written against it.

-- RenameTable
ALTER TABLE "host_sample" RENAME TO "host_second";
ALTER TABLE "host_second" RENAME CONSTRAINT "host_sample_pkey" TO "host_second_pkey";
ALTER TABLE "host_second" RENAME CONSTRAINT "host_sample_host_id_fkey" TO "host_second_host_id_fkey";
ALTER INDEX "host_sample_ts_idx" RENAME TO "host_second_ts_idx";

-- CreateTable
CREATE TABLE "host_minute" (
    "ts" TIMESTAMPTZ(0) NOT NULL,
    "host_id" INTEGER NOT NULL,
    "present" BIGINT NOT NULL,
    "cpu_util" REAL[],
    "ram_percent" REAL[],
    "swap_percent" REAL[],
    "disk_percent" REAL[],
    "disk_read_bps" REAL[],
    "disk_write_bps" REAL[],
    "net_sent_bps" REAL[],
    "net_recv_bps" REAL[],
    "load1" REAL[],
    "gpu" SMALLINT[],

    CONSTRAINT "host_minute_pkey" PRIMARY KEY ("host_id","ts")
);

-- CreateIndex
CREATE INDEX "host_minute_ts_idx" ON "host_minute" USING BRIN ("ts");

-- AddForeignKey
ALTER TABLE "host_minute" ADD CONSTRAINT "host_minute_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every stored second, folded or not; a folded second's GPU values come back as its row of
-- the minute's [second][value] array.
CREATE VIEW "host_sample" AS
SELECT "ts", "host_id", "cpu_util", "ram_percent", "swap_percent", "disk_percent", "disk_read_bps",
       "disk_write_bps", "net_sent_bps", "net_recv_bps", "load1", "gpu"
  FROM "host_second"
UNION ALL
SELECT m."ts" + make_interval(secs => x.i - 1), m."host_id", x."cpu_util", x."ram_percent", x."swap_percent",
       x."disk_percent", x."disk_read_bps", x."disk_write_bps", x."net_sent_bps", x."net_recv_bps", x."load1",
       CASE WHEN m."gpu" IS NOT NULL THEN ARRAY(SELECT unnest(m."gpu"[x.i::int:x.i::int][:])) END
  FROM "host_minute" m
 CROSS JOIN LATERAL unnest(m."cpu_util", m."ram_percent", m."swap_percent", m."disk_percent", m."disk_read_bps",
                           m."disk_write_bps", m."net_sent_bps", m."net_recv_bps", m."load1")
       WITH ORDINALITY AS x("cpu_util", "ram_percent", "swap_percent", "disk_percent", "disk_read_bps",
                            "disk_write_bps", "net_sent_bps", "net_recv_bps", "load1", i)
 WHERE m."present" & (1::int8 << (x.i - 1)::int) <> 0;

-- Deleting a second through the view deletes it wherever it is stored (a folded second is
-- marked absent), as deleting from the table did.
CREATE FUNCTION "host_sample_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "host_second" WHERE "host_id" = OLD."host_id" AND "ts" = OLD."ts";
  UPDATE "host_minute" SET "present" = "present" & ~(1::int8 << extract(second FROM OLD."ts")::int)
   WHERE "host_id" = OLD."host_id" AND "ts" = date_trunc('minute', OLD."ts");
  RETURN OLD;
END $$;

CREATE TRIGGER "host_sample_delete" INSTEAD OF DELETE ON "host_sample"
  FOR EACH ROW EXECUTE FUNCTION "host_sample_delete"();

-- Fold the minutes already complete (the rollup job folds the rest as they complete).
INSERT INTO "host_minute" ("ts", "host_id", "present", "cpu_util", "ram_percent", "swap_percent", "disk_percent",
                           "disk_read_bps", "disk_write_bps", "net_sent_bps", "net_recv_bps", "load1", "gpu")
SELECT g.minute, g."host_id", g.present,
       array_agg(s."cpu_util" ORDER BY i), array_agg(s."ram_percent" ORDER BY i), array_agg(s."swap_percent" ORDER BY i),
       array_agg(s."disk_percent" ORDER BY i), array_agg(s."disk_read_bps" ORDER BY i), array_agg(s."disk_write_bps" ORDER BY i),
       array_agg(s."net_sent_bps" ORDER BY i), array_agg(s."net_recv_bps" ORDER BY i), array_agg(s."load1" ORDER BY i),
       array_agg(coalesce(s."gpu", '{}') || array_fill(NULL::smallint, ARRAY[g.w - coalesce(cardinality(s."gpu"), 0)]) ORDER BY i)
         FILTER (WHERE g.w > 0)
  FROM (SELECT "host_id", date_trunc('minute', "ts") AS minute,
               bit_or(1::int8 << extract(second FROM "ts")::int) AS present, coalesce(max(cardinality("gpu")), 0) AS w
          FROM "host_second" WHERE "ts" < date_trunc('minute', now() - interval '30 seconds') GROUP BY 1, 2) g
 CROSS JOIN generate_series(0, 59) AS i
  LEFT JOIN "host_second" s ON s."host_id" = g."host_id" AND s."ts" = g.minute + make_interval(secs => i)
 GROUP BY g.minute, g."host_id", g.present;

DELETE FROM "host_second" WHERE "ts" < date_trunc('minute', now() - interval '30 seconds');
