-- Git-sourced stacks: the compose file read from a path in a repository, redeployed on push.
ALTER TABLE "stack" ADD COLUMN "gitUrl" TEXT,
ADD COLUMN "gitBranch" TEXT,
ADD COLUMN "composePath" TEXT,
ADD COLUMN "gitToken" TEXT,
ADD COLUMN "commitSha" TEXT,
ADD COLUMN "webhookSecret" TEXT,
ADD COLUMN "webhookProvider" TEXT,
ADD COLUMN "syncError" TEXT;

-- What each stack service was imported as (sealed JSON), to tell changed services on a re-import.
ALTER TABLE "stack_service" ADD COLUMN "spec" TEXT NOT NULL DEFAULT '';
