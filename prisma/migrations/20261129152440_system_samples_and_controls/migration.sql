-- CreateEnum
CREATE TYPE "ControlAction" AS ENUM ('pause', 'resume', 'stop');

-- CreateTable
CREATE TABLE "system_sample" (
    "id" BIGSERIAL NOT NULL,
    "host" VARCHAR(255) NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,
    "data" JSONB NOT NULL,

    CONSTRAINT "system_sample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "control_request" (
    "id" SERIAL NOT NULL,
    "session_id" INTEGER NOT NULL,
    "action" "ControlAction" NOT NULL,
    "message" TEXT,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledged_at" TIMESTAMPTZ(3),

    CONSTRAINT "control_request_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "system_sample_timestamp_idx" ON "system_sample"("timestamp");

-- CreateIndex
CREATE UNIQUE INDEX "system_sample_host_timestamp_key" ON "system_sample"("host", "timestamp");

-- CreateIndex
CREATE INDEX "control_request_session_id_id_idx" ON "control_request"("session_id", "id");

-- AddForeignKey
ALTER TABLE "control_request" ADD CONSTRAINT "control_request_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "training_session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

