-- Docker Engines Berth reaches: the local socket, remote engines over TCP+TLS or SSH.
CREATE TABLE "server" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "socketPath" TEXT,
    "host" TEXT,
    "port" INTEGER,
    "tlsCa" TEXT,
    "tlsCert" TEXT,
    "tlsKey" TEXT,
    "sshUsername" TEXT,
    "sshPrivateKey" TEXT,
    "sshPublicKey" TEXT,
    "hostKeySha256" TEXT,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "stateReason" TEXT,
    "dockerVersion" TEXT,
    "cpus" INTEGER,
    "memoryBytes" BIGINT,
    "diskBytes" BIGINT,
    "lastSeenAt" TIMESTAMP(3),
    "checkedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "server_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "server_name_key" ON "server"("name");
