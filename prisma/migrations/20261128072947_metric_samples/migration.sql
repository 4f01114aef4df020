-- CreateTable
CREATE TABLE "metric_sample" (
    "id" BIGSERIAL NOT NULL,
    "serviceId" TEXT,
    "time" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cpuPercent" DOUBLE PRECISION NOT NULL,
    "memoryBytes" BIGINT NOT NULL,
    "memoryLimitBytes" BIGINT NOT NULL,
    "rxBytesPerSec" DOUBLE PRECISION NOT NULL,
    "txBytesPerSec" DOUBLE PRECISION NOT NULL,
    "restartCount" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "metric_sample_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "metric_sample_serviceId_time_idx" ON "metric_sample"("serviceId", "time");

-- CreateIndex
CREATE INDEX "metric_sample_time_idx" ON "metric_sample"("time");

-- AddForeignKey
ALTER TABLE "metric_sample" ADD CONSTRAINT "metric_sample_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

