-- 10-minute host rollups (see src/server/services/system/hostTiers.ts), made from the minute
-- rollups as the hour ones are: n samples, min of the mins, mean weighted by n, max of the
-- maxes. A day of one metric of every host reads a tenth of the rows it read from minutes.

-- CreateTable
CREATE TABLE "host_rollup_10m" (
    "ts" TIMESTAMPTZ(0) NOT NULL,
    "host_id" INTEGER NOT NULL,
    "n" INTEGER NOT NULL,
    "mn" REAL[],
    "av" REAL[],
    "mx" REAL[],

    CONSTRAINT "host_rollup_10m_pkey" PRIMARY KEY ("host_id","ts")
);

-- CreateIndex
CREATE INDEX "host_rollup_10m_ts_idx" ON "host_rollup_10m" USING BRIN ("ts");

-- AddForeignKey
ALTER TABLE "host_rollup_10m" ADD CONSTRAINT "host_rollup_10m_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "host"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Fill from the minutes already kept, position by position (a mean only over the minutes
-- that have the value, weighted by their n, as the rollup job computes it).
INSERT INTO "host_rollup_10m" ("ts", "host_id", "n", "mn", "av", "mx")
SELECT b."ts", b."host_id", b."n",
       coalesce(v."mn", '{}'), coalesce(v."av", '{}'), coalesce(v."mx", '{}')
  FROM (SELECT date_bin('10 minutes', "ts", 'epoch'::timestamptz) AS "ts", "host_id", sum("n") AS "n"
          FROM "host_rollup_1m" GROUP BY 1, 2) b
  LEFT JOIN (
        SELECT "ts", "host_id", array_agg("mn" ORDER BY o) AS "mn", array_agg("av" ORDER BY o) AS "av", array_agg("mx" ORDER BY o) AS "mx"
          FROM (SELECT date_bin('10 minutes', r."ts", 'epoch'::timestamptz) AS "ts", r."host_id", u.o,
                       min(u.mn) AS "mn",
                       (sum(u.av::float8 * r."n") / NULLIF(sum(r."n") FILTER (WHERE u.av IS NOT NULL), 0))::real AS "av",
                       max(u.mx) AS "mx"
                  FROM "host_rollup_1m" r
                 CROSS JOIN LATERAL unnest(r."mn", r."av", r."mx") WITH ORDINALITY AS u(mn, av, mx, o)
                 GROUP BY 1, 2, 3) e
         GROUP BY 1, 2) v ON v."ts" = b."ts" AND v."host_id" = b."host_id";

-- Complete up to the minutes' watermark, on a whole 10 minutes; the job carries on from there.
INSERT INTO "host_rollup_state" ("tier", "done_until")
SELECT '10m', date_bin('10 minutes', "done_until", 'epoch'::timestamptz) FROM "host_rollup_state" WHERE "tier" = '1m';
