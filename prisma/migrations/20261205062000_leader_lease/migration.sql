-- One row per job that exactly one Berth process should do (e.g. sampling metrics): the process
-- holding it renews "until"; another takes it over once it lapses.
CREATE TABLE "leader_lease" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "until" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "leader_lease_pkey" PRIMARY KEY ("name")
);
