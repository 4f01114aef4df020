-- CreateEnum
CREATE TYPE "WebhookOutcome" AS ENUM ('deployed', 'ignored', 'rejected', 'failed');

-- CreateEnum
CREATE TYPE "NotificationKind" AS ENUM ('webhook', 'slack', 'discord', 'email');

-- AlterTable
ALTER TABLE "service" ADD COLUMN     "deployHookHash" TEXT,
ADD COLUMN     "webhookSecret" TEXT;

-- CreateTable
CREATE TABLE "env_var" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "serviceId" TEXT,
    "scopeKey" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "secret" BOOLEAN NOT NULL DEFAULT false,
    "buildTime" BOOLEAN NOT NULL DEFAULT false,
    "runtime" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "env_var_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_delivery" (
    "id" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "deliveryId" TEXT,
    "event" TEXT NOT NULL DEFAULT '',
    "ref" TEXT,
    "commitSha" TEXT,
    "outcome" "WebhookOutcome" NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "deploymentId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_channel" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "kind" "NotificationKind" NOT NULL,
    "name" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "onSuccess" BOOLEAN NOT NULL DEFAULT true,
    "onFailure" BOOLEAN NOT NULL DEFAULT true,
    "lastStatus" TEXT NOT NULL DEFAULT '',
    "lastAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_channel_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "env_var_serviceId_idx" ON "env_var"("serviceId");

-- CreateIndex
CREATE UNIQUE INDEX "env_var_projectId_scopeKey_name_key" ON "env_var"("projectId", "scopeKey", "name");

-- CreateIndex
CREATE INDEX "webhook_delivery_serviceId_createdAt_idx" ON "webhook_delivery"("serviceId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_delivery_serviceId_deliveryId_key" ON "webhook_delivery"("serviceId", "deliveryId");

-- CreateIndex
CREATE INDEX "notification_channel_projectId_idx" ON "notification_channel"("projectId");

-- CreateIndex
CREATE UNIQUE INDEX "service_deployHookHash_key" ON "service"("deployHookHash");

-- AddForeignKey
ALTER TABLE "env_var" ADD CONSTRAINT "env_var_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "env_var" ADD CONSTRAINT "env_var_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_delivery" ADD CONSTRAINT "webhook_delivery_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_channel" ADD CONSTRAINT "notification_channel_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

