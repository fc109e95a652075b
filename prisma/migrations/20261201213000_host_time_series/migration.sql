-- Host time series in typed columns (see src/server/services/system/hostColumns.ts for the
-- layout): one raw row per host per second, kept for a short span, and 1-minute and 1-hour
-- rollups with min, mean and max, kept for longer. Replaces system_sample (JSONB rows).

-- CreateTable
CREATE TABLE "host" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(255) NOT NULL,
    "labels" JSONB NOT NULL DEFAULT '{}',
    "latest" JSONB,
    "latest_at" TIMESTAMPTZ(3),

    CONSTRAINT "host_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "host_sample" (
    "ts" TIMESTAMPTZ(0) NOT NULL,
    "host_id" INTEGER NOT NULL,
    "cpu_util" REAL,
    "ram_percent" REAL,
    "swap_percent" REAL,
    "disk_percent" REAL,
    "disk_read_bps" REAL,
    "disk_write_bps" REAL,
    "net_sent_bps" REAL,
    "net_recv_bps" REAL,
    "load1" REAL,
    "gpu" SMALLINT[],

    CONSTRAINT "host_sample_pkey" PRIMARY KEY ("host_id","ts")
);

-- CreateTable
CREATE TABLE "host_rollup_1m" (
    "ts" TIMESTAMPTZ(0) NOT NULL,
    "host_id" INTEGER NOT NULL,
    "n" SMALLINT NOT NULL,
    "mn" REAL[],
    "av" REAL[],
    "mx" REAL[],

    CONSTRAINT "host_rollup_1m_pkey" PRIMARY KEY ("host_id","ts")
);

-- CreateTable
CREATE TABLE "host_rollup_1h" (
    "ts" TIMESTAMPTZ(0) NOT NULL,
    "host_id" INTEGER NOT NULL,
    "n" INTEGER NOT NULL,
    "mn" REAL[],
    "av" REAL[],
    "mx" REAL[],

    CONSTRAINT "host_rollup_1h_pkey" PRIMARY KEY ("host_id","ts")
);

-- CreateTable
CREATE TABLE "host_rollup_state" (
    "tier" VARCHAR(8) NOT NULL,
    "done_until" TIMESTAMPTZ(0) NOT NULL,

    CONSTRAINT "host_rollup_state_pkey" PRIMARY KEY ("tier")
);

-- CreateTable
CREATE TABLE "host_rollup_dirty" (
    "host_id" INTEGER NOT NULL,
    "minute" TIMESTAMPTZ(0) NOT NULL,

    CONSTRAINT "host_rollup_dirty_pkey" PRIMARY KEY ("host_id","minute")
);

-- CreateIndex
CREATE UNIQUE INDEX "host_name_key" ON "host"("name");

-- CreateIndex
CREATE INDEX "host_sample_ts_idx" ON "host_sample" USING BRIN ("ts");

-- CreateIndex
CREATE INDEX "host_rollup_1m_ts_idx" ON "host_rollup_1m" USING BRIN ("ts");

-- CreateIndex
CREATE INDEX "host_rollup_1h_ts_idx" ON "host_rollup_1h" USING BRIN ("ts");

-- AddForeignKey
ALTER TABLE "host_sample" ADD CONSTRAINT "host_sample_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "host_rollup_1m" ADD CONSTRAINT "host_rollup_1m_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "host_rollup_1h" ADD CONSTRAINT "host_rollup_1h_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Move the existing samples: one host row each, the newest sample as its latest, every
-- sample as a typed row (GPU values scaled to smallints as hostColumns.ts says).
INSERT INTO "host" ("name", "latest", "latest_at")
SELECT DISTINCT ON ("host") "host", "data", "timestamp" FROM "system_sample" ORDER BY "host", "timestamp" DESC;

INSERT INTO "host_sample"
SELECT date_trunc('second', s."timestamp"), h."id",
       (s."data" #>> '{cpu,cpu_util}')::real,
       (s."data" #>> '{memory,ram_percent}')::real,
       CASE WHEN (s."data" #>> '{memory,swap_total}')::float8 > 0
            THEN ((s."data" #>> '{memory,swap_used}')::float8 * 100 / (s."data" #>> '{memory,swap_total}')::float8)::real END,
       (s."data" #>> '{disk,disk_percent}')::real,
       (s."data" #>> '{disk,read_bytes_per_s}')::real,
       (s."data" #>> '{disk,write_bytes_per_s}')::real,
       (s."data" #>> '{network,sent_bytes_per_s}')::real,
       (s."data" #>> '{network,recv_bytes_per_s}')::real,
       (s."data" #>> '{cpu,load_avg,0}')::real,
       (SELECT array_agg(v ORDER BY o) FROM (
          SELECT (g.o - 1) * 4 + x.i AS o, x.v
            FROM jsonb_array_elements(s."data" -> 'gpu') WITH ORDINALITY AS g(j, o)
            CROSS JOIN LATERAL (VALUES
              (1, round((g.j ->> 'gpu_util')::numeric)::smallint),
              (2, round((g.j ->> 'vram_percent')::numeric * 100)::smallint),
              (3, round((g.j ->> 'gpu_temp')::numeric)::smallint),
              (4, round((g.j ->> 'power_usage')::numeric * 10)::smallint)
            ) AS x(i, v)) AS e)
  FROM "system_sample" s JOIN "host" h ON h."name" = s."host"
ON CONFLICT DO NOTHING;

-- DropTable
DROP TABLE "system_sample";
