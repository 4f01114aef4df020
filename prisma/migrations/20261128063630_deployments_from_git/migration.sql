-- CreateEnum
CREATE TYPE "DeploymentTrigger" AS ENUM ('user', 'webhook', 'api', 'rollback', 'redeploy');

-- CreateEnum
CREATE TYPE "SourceType" AS ENUM ('image', 'git');

-- CreateEnum
CREATE TYPE "LogStream" AS ENUM ('stdout', 'stderr', 'system');

-- AlterEnum
BEGIN;
CREATE TYPE "DeploymentStatus_new" AS ENUM ('queued', 'cloning', 'building', 'releasing', 'succeeded', 'failed', 'cancelled', 'superseded', 'timed_out');
ALTER TABLE "public"."deployment" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "deployment" ALTER COLUMN "status" TYPE "DeploymentStatus_new" USING ((CASE "status"::text
  WHEN 'deploying' THEN 'failed'
  WHEN 'running' THEN 'succeeded'
  WHEN 'stopped' THEN 'succeeded'
  ELSE "status"::text END)::"DeploymentStatus_new");
ALTER TYPE "DeploymentStatus" RENAME TO "DeploymentStatus_old";
ALTER TYPE "DeploymentStatus_new" RENAME TO "DeploymentStatus";
DROP TYPE "public"."DeploymentStatus_old";
ALTER TABLE "deployment" ALTER COLUMN "status" SET DEFAULT 'queued';
COMMIT;

-- AlterTable
ALTER TABLE "deployment" ADD COLUMN     "buildMs" INTEGER,
ADD COLUMN     "cancelRequestedAt" TIMESTAMP(3),
ADD COLUMN     "cloneMs" INTEGER,
ADD COLUMN     "commitMessage" TEXT,
ADD COLUMN     "commitSha" TEXT,
ADD COLUMN     "config" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "releaseMs" INTEGER,
ADD COLUMN     "rollbackOfId" TEXT;

-- Keep existing triggers (hand-edited: convert instead of drop + add).
ALTER TABLE "deployment" ALTER COLUMN "trigger" DROP DEFAULT;
ALTER TABLE "deployment" ALTER COLUMN "trigger" TYPE "DeploymentTrigger" USING ((CASE WHEN "trigger" IN ('user', 'webhook', 'api', 'rollback', 'redeploy') THEN "trigger" ELSE 'user' END)::"DeploymentTrigger");
ALTER TABLE "deployment" ALTER COLUMN "trigger" SET DEFAULT 'user';

-- AlterTable
ALTER TABLE "instance_settings" ADD COLUMN     "allowLocalSources" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "buildLogRetentionDays" INTEGER NOT NULL DEFAULT 30,
ALTER COLUMN "buildConcurrency" DROP NOT NULL,
ALTER COLUMN "buildConcurrency" DROP DEFAULT;

-- AlterTable
ALTER TABLE "service" ADD COLUMN     "buildArgs" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "buildTimeoutS" INTEGER,
ADD COLUMN     "cloneTimeoutS" INTEGER,
ADD COLUMN     "contextPath" TEXT NOT NULL DEFAULT '.',
ADD COLUMN     "deployKeyPrivate" TEXT,
ADD COLUMN     "deployKeyPublic" TEXT,
ADD COLUMN     "dockerfilePath" TEXT NOT NULL DEFAULT 'Dockerfile',
ADD COLUMN     "gitBranch" TEXT,
ADD COLUMN     "gitCommit" TEXT,
ADD COLUMN     "gitToken" TEXT,
ADD COLUMN     "gitUrl" TEXT,
ADD COLUMN     "healthTimeoutS" INTEGER,
ADD COLUMN     "sourceType" "SourceType" NOT NULL DEFAULT 'image',
ADD COLUMN     "startTimeoutS" INTEGER;

-- CreateTable
CREATE TABLE "release" (
    "id" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "deploymentId" TEXT NOT NULL,
    "image" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "commitSha" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "release_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "build_log_line" (
    "deploymentId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "stream" "LogStream" NOT NULL,
    "text" TEXT NOT NULL,
    "time" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "build_log_line_pkey" PRIMARY KEY ("deploymentId","seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "release_deploymentId_key" ON "release"("deploymentId");

-- CreateIndex
CREATE UNIQUE INDEX "release_serviceId_number_key" ON "release"("serviceId", "number");

-- AddForeignKey
ALTER TABLE "release" ADD CONSTRAINT "release_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "release" ADD CONSTRAINT "release_deploymentId_fkey" FOREIGN KEY ("deploymentId") REFERENCES "deployment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "build_log_line" ADD CONSTRAINT "build_log_line_deploymentId_fkey" FOREIGN KEY ("deploymentId") REFERENCES "deployment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

