-- A git-sourced stack reading an ssh repository: its generated deploy key (private half sealed)
-- and the host key pinned at its first clone, as a git service has.
ALTER TABLE "stack" ADD COLUMN "deployKeyPrivate" TEXT,
ADD COLUMN "deployKeyPublic" TEXT,
ADD COLUMN "sshKnownHosts" TEXT;
