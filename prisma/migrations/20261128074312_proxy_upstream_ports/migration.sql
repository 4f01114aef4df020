-- AlterTable
ALTER TABLE "service" ADD COLUMN     "proxyPort" INTEGER;

-- CreateIndex
CREATE UNIQUE INDEX "service_proxyPort_key" ON "service"("proxyPort");

