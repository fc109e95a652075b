-- AlterTable
ALTER TABLE "training_session" ADD COLUMN     "event_gaps_ms" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "heartbeat_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "alert_rule" (
    "id" SERIAL NOT NULL,
    "builtin" VARCHAR(64),
    "name" VARCHAR(128) NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "severity" VARCHAR(16) NOT NULL DEFAULT 'warning',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "scope" JSONB NOT NULL DEFAULT '{}',
    "params" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_rule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert" (
    "id" SERIAL NOT NULL,
    "rule_id" INTEGER NOT NULL,
    "subject" VARCHAR(512) NOT NULL,
    "run" VARCHAR(128),
    "host" VARCHAR(255),
    "message" TEXT NOT NULL,
    "value" DOUBLE PRECISION,
    "triggered_at" TIMESTAMPTZ(3) NOT NULL,
    "raised_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),
    "read_at" TIMESTAMPTZ(3),
    "throttled" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_webhook" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(128) NOT NULL,
    "url" VARCHAR(2048) NOT NULL,
    "format" VARCHAR(16) NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "from_env" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_webhook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_delivery" (
    "id" SERIAL NOT NULL,
    "alert_id" INTEGER NOT NULL,
    "webhook_id" INTEGER NOT NULL,
    "event" VARCHAR(16) NOT NULL,
    "status" VARCHAR(16) NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_until" TIMESTAMPTZ(3),
    "response_status" INTEGER,
    "last_error" TEXT,
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "alert_rule_builtin_key" ON "alert_rule"("builtin");

-- CreateIndex
CREATE INDEX "alert_rule_id_subject_raised_at_idx" ON "alert"("rule_id", "subject", "raised_at" DESC);

-- CreateIndex
CREATE INDEX "alert_updated_at_idx" ON "alert"("updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "alert_webhook_url_key" ON "alert_webhook"("url");

-- CreateIndex
CREATE INDEX "alert_delivery_status_next_attempt_at_idx" ON "alert_delivery"("status", "next_attempt_at");

-- CreateIndex
CREATE UNIQUE INDEX "alert_delivery_alert_id_webhook_id_event_key" ON "alert_delivery"("alert_id", "webhook_id", "event");

-- AddForeignKey
ALTER TABLE "alert" ADD CONSTRAINT "alert_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "alert_rule"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_delivery" ADD CONSTRAINT "alert_delivery_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alert"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_delivery" ADD CONSTRAINT "alert_delivery_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "alert_webhook"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- At most one open alert per rule and subject, whichever instance raises it (Prisma's schema
-- language has no partial indexes, so this one lives here only).
CREATE UNIQUE INDEX "alert_open_rule_subject_key" ON "alert"("rule_id", "subject") WHERE "resolved_at" IS NULL;
