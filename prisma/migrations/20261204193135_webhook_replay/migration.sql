-- AlterTable
ALTER TABLE "service" ADD COLUMN     "webhookProvider" TEXT;

-- AlterTable
ALTER TABLE "webhook_delivery" ADD COLUMN     "bodySha256" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "webhook_delivery_serviceId_bodySha256_key" ON "webhook_delivery"("serviceId", "bodySha256");

