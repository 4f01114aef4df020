-- AlterTable
ALTER TABLE "service" ADD COLUMN     "serverId" TEXT;

-- CreateIndex
CREATE INDEX "service_serverId_idx" ON "service"("serverId");

-- AddForeignKey
ALTER TABLE "service" ADD CONSTRAINT "service_serverId_fkey" FOREIGN KEY ("serverId") REFERENCES "server"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

