-- AlterTable
ALTER TABLE "service" ADD COLUMN     "reconcilingUntil" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "service_event" (
    "id" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "actor" TEXT NOT NULL DEFAULT 'system',
    "detail" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "service_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "service_event_serviceId_createdAt_idx" ON "service_event"("serviceId", "createdAt");

-- AddForeignKey
ALTER TABLE "service_event" ADD CONSTRAINT "service_event_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

