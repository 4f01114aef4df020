-- AlterTable
ALTER TABLE "service" ADD COLUMN     "previewForks" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "previewLimit" INTEGER NOT NULL DEFAULT 3,
ADD COLUMN     "previewOfId" TEXT,
ADD COLUMN     "previewsEnabled" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "preview" (
    "id" TEXT NOT NULL,
    "parentServiceId" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "prNumber" INTEGER NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "headSha" TEXT NOT NULL,
    "headBranch" TEXT NOT NULL,
    "headRepoUrl" TEXT,
    "fromFork" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "preview_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "preview_serviceId_key" ON "preview"("serviceId");

-- CreateIndex
CREATE UNIQUE INDEX "preview_parentServiceId_prNumber_key" ON "preview"("parentServiceId", "prNumber");

-- CreateIndex
CREATE INDEX "service_previewOfId_idx" ON "service"("previewOfId");

-- AddForeignKey
ALTER TABLE "service" ADD CONSTRAINT "service_previewOfId_fkey" FOREIGN KEY ("previewOfId") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "preview" ADD CONSTRAINT "preview_parentServiceId_fkey" FOREIGN KEY ("parentServiceId") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "preview" ADD CONSTRAINT "preview_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE CASCADE;
