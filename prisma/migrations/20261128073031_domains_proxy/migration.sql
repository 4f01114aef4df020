-- CreateEnum
CREATE TYPE "TlsIssuer" AS ENUM ('internal', 'acme');

-- AlterTable
ALTER TABLE "instance_settings" ADD COLUMN     "acmeEmail" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "acmeStaging" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "tlsIssuer" "TlsIssuer" NOT NULL DEFAULT 'internal';

-- CreateTable
CREATE TABLE "domain" (
    "id" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "pathPrefix" TEXT NOT NULL DEFAULT '',
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "redirectTwin" BOOLEAN NOT NULL DEFAULT false,
    "basicAuthUser" TEXT,
    "basicAuthHash" TEXT,
    "ipAllowList" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "certPem" TEXT,
    "keyPem" TEXT,
    "certNotAfter" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "domain_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "domain_serviceId_idx" ON "domain"("serviceId");

-- CreateIndex
CREATE INDEX "domain_hostname_idx" ON "domain"("hostname");

-- CreateIndex
CREATE UNIQUE INDEX "domain_hostname_pathPrefix_key" ON "domain"("hostname", "pathPrefix");

-- AddForeignKey
ALTER TABLE "domain" ADD CONSTRAINT "domain_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

