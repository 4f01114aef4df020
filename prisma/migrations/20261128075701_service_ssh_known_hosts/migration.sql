-- AlterTable
ALTER TABLE "service" ADD COLUMN     "sshKnownHosts" TEXT;

