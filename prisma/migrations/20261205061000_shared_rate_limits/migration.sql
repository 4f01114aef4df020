-- Rate-limit windows in Postgres, so every Berth process on one database counts against one
-- budget (better-auth's own limits, storage "database").
CREATE TABLE "rate_limit" (
    "id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "lastRequest" BIGINT NOT NULL,

    CONSTRAINT "rate_limit_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "rate_limit_key_key" ON "rate_limit"("key");

-- Berth's own fixed windows (rate-limits/window-limiter.ts): better-auth prunes "rate_limit" by
-- its own (shorter) windows, so Berth's longer ones live apart.
CREATE TABLE "rate_window" (
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "rate_window_pkey" PRIMARY KEY ("key")
);
