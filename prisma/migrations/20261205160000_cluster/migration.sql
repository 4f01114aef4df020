-- Cluster mode: the Docker Swarm Berth forms from its servers.
ALTER TABLE "server" ADD COLUMN "swarmNodeId" TEXT,
ADD COLUMN "swarmRole" TEXT,
ADD COLUMN "swarmAddress" TEXT,
ADD COLUMN "swarmNodeState" TEXT,
ADD COLUMN "swarmAvailability" TEXT,
ADD COLUMN "swarmLabels" JSONB;

CREATE TABLE "cluster" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "swarmId" TEXT NOT NULL,
    "managerServerId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cluster_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "server_swarmNodeId_key" ON "server"("swarmNodeId");

-- CreateIndex
CREATE UNIQUE INDEX "cluster_managerServerId_key" ON "cluster"("managerServerId");

-- AddForeignKey
ALTER TABLE "cluster" ADD CONSTRAINT "cluster_managerServerId_fkey" FOREIGN KEY ("managerServerId") REFERENCES "server"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
