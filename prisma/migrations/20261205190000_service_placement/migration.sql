-- Cluster services: a service runs on Berth's own engine (server) or as a Swarm service (cluster).
CREATE TYPE "ServicePlacement" AS ENUM ('server', 'cluster');

ALTER TABLE "service" ADD COLUMN "placement" "ServicePlacement" NOT NULL DEFAULT 'server',
ADD COLUMN "placementConstraints" TEXT[] DEFAULT ARRAY[]::TEXT[];
