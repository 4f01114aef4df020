-- CreateEnum
CREATE TYPE "ServiceKind" AS ENUM ('web', 'worker', 'tcp');

-- CreateEnum
CREATE TYPE "DeployStrategy" AS ENUM ('start_first', 'stop_first');

-- AlterTable
ALTER TABLE "deployment" ADD COLUMN     "imageDigest" TEXT,
ADD COLUMN     "imageId" TEXT;

-- AlterTable
ALTER TABLE "instance_settings" ADD COLUMN     "allowBindMounts" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "defaultCpus" DOUBLE PRECISION,
ADD COLUMN     "defaultMemoryMb" INTEGER DEFAULT 1024,
ADD COLUMN     "defaultPidsLimit" INTEGER DEFAULT 4096;

-- AlterTable
ALTER TABLE "release" ADD COLUMN     "imageDigest" TEXT,
ADD COLUMN     "imageId" TEXT;

-- AlterTable
ALTER TABLE "service" ADD COLUMN     "kind" "ServiceKind" NOT NULL DEFAULT 'web',
ADD COLUMN     "proxyPortCount" INTEGER NOT NULL DEFAULT 2,
ADD COLUMN     "replicas" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "runtime" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "strategy" "DeployStrategy",
ALTER COLUMN "containerPort" DROP NOT NULL;

-- CreateTable
CREATE TABLE "volume" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "serviceId" TEXT,
    "name" TEXT NOT NULL,
    "mountPath" TEXT NOT NULL,
    "readOnly" BOOLEAN NOT NULL DEFAULT false,
    "hostPath" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "volume_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "registry_credential" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "registry" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "password" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "registry_credential_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "volume_projectId_name_key" ON "volume"("projectId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "volume_serviceId_mountPath_key" ON "volume"("serviceId", "mountPath");

-- CreateIndex
CREATE UNIQUE INDEX "registry_credential_teamId_registry_key" ON "registry_credential"("teamId", "registry");

-- AddForeignKey
ALTER TABLE "volume" ADD CONSTRAINT "volume_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "volume" ADD CONSTRAINT "volume_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "service"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "registry_credential" ADD CONSTRAINT "registry_credential_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

