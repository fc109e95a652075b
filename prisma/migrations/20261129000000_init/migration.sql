-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "SessionStatus" AS ENUM ('queued', 'running', 'paused', 'completed', 'failed', 'stopped');

-- CreateEnum
CREATE TYPE "LogLevel" AS ENUM ('DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL');

-- CreateTable
CREATE TABLE "training_session" (
    "id" SERIAL NOT NULL,
    "experiment_id" VARCHAR(128) NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "total_epochs" INTEGER NOT NULL DEFAULT 0,
    "current_epoch" INTEGER NOT NULL DEFAULT 0,
    "status" "SessionStatus" NOT NULL DEFAULT 'queued',
    "host" VARCHAR(255),
    "last_seq" INTEGER NOT NULL DEFAULT 0,
    "log_count" INTEGER NOT NULL DEFAULT 0,
    "metrics_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "last_seen_at" TIMESTAMPTZ(3),

    CONSTRAINT "training_session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "log_entry" (
    "id" BIGSERIAL NOT NULL,
    "session_id" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "level" "LogLevel" NOT NULL,
    "message" TEXT NOT NULL,
    "source" VARCHAR(128) NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "log_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "metric_point" (
    "id" BIGSERIAL NOT NULL,
    "session_id" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "epoch" INTEGER NOT NULL,
    "step" INTEGER,
    "name" VARCHAR(128) NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "metric_point_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "status_change" (
    "id" BIGSERIAL NOT NULL,
    "session_id" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "from_status" "SessionStatus",
    "to_status" "SessionStatus" NOT NULL,
    "message" TEXT,
    "current_epoch" INTEGER NOT NULL,
    "total_epochs" INTEGER NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "status_change_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingest_producer" (
    "session_id" INTEGER NOT NULL,
    "producer_id" VARCHAR(64) NOT NULL,
    "last_seq" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ingest_producer_pkey" PRIMARY KEY ("session_id","producer_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "training_session_experiment_id_key" ON "training_session"("experiment_id");

-- CreateIndex
CREATE INDEX "training_session_status_created_at_idx" ON "training_session"("status", "created_at" DESC);

-- CreateIndex
CREATE INDEX "training_session_created_at_idx" ON "training_session"("created_at" DESC);

-- CreateIndex
CREATE INDEX "log_entry_session_id_level_seq_idx" ON "log_entry"("session_id", "level", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "log_entry_session_id_seq_key" ON "log_entry"("session_id", "seq");

-- CreateIndex
CREATE INDEX "metric_point_session_id_seq_idx" ON "metric_point"("session_id", "seq");

-- CreateIndex
CREATE INDEX "metric_point_session_id_name_seq_idx" ON "metric_point"("session_id", "name", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "status_change_session_id_seq_key" ON "status_change"("session_id", "seq");

-- AddForeignKey
ALTER TABLE "log_entry" ADD CONSTRAINT "log_entry_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "training_session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metric_point" ADD CONSTRAINT "metric_point_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "training_session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "status_change" ADD CONSTRAINT "status_change_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "training_session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ingest_producer" ADD CONSTRAINT "ingest_producer_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "training_session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

