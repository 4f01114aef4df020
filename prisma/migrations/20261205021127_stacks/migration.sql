-- CreateEnum
CREATE TYPE "StackServiceState" AS ENUM ('idle', 'waiting', 'deploying', 'done', 'failed');

-- CreateTable
CREATE TABLE "stack" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "compose" TEXT NOT NULL,
    "variables" TEXT NOT NULL,
    "profiles" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "deployActorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "stack_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stack_service" (
    "id" TEXT NOT NULL,
    "stackId" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "dependsOn" JSONB NOT NULL DEFAULT '[]',
    "labels" JSONB NOT NULL DEFAULT '{}',
    "state" "StackServiceState" NOT NULL DEFAULT 'idle',
    "stateReason" TEXT,
    "deploymentId" TEXT,

    CONSTRAINT "stack_service_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "stack_projectId_name_key" ON "stack"("projectId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "stack_service_serviceId_key" ON "stack_service"("serviceId");

-- CreateIndex
CREATE INDEX "stack_service_stackId_idx" ON "stack_service"("stackId");

-- CreateIndex
CREATE INDEX "stack_service_state_idx" ON "stack_service"("state");

-- AddForeignKey
ALTER TABLE "stack" ADD CONSTRAINT "stack_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stack_service" ADD CONSTRAINT "stack_service_stackId_fkey" FOREIGN KEY ("stackId") REFERENCES "stack"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stack_service" ADD CONSTRAINT "stack_service_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE CASCADE;
