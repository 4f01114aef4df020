import { afterAll, beforeAll, expect, it } from "vitest";
import { createDb, type Db } from "@berth/db";
import { type PrivatePostgres, startPrivatePostgres } from "../test/private-postgres.ts";

/**
 * Transactions open when PostgreSQL stops (a private cluster: the shared one is never stopped).
 * Prisma ends a transaction with COMMIT/ROLLBACK before it hands the connection back; when that
 * statement fails the connection used to stay checked out for good: an outage during more open
 * transactions than the pool holds (10) left a client that never served again, and
 * `$disconnect()` that never returned (a process that could not stop after the outage).
 */
let pg: PrivatePostgres;
let db: Db;

beforeAll(async () => {
  pg = await startPrivatePostgres({ migrate: false });
  db = createDb(pg.url);
}, 120_000);

afterAll(() => pg?.close());

it("a client whose transactions were cut off by an outage serves again once the database is back, and disconnects", async () => {
  await db.$queryRaw`SELECT 1`;
  // More transactions than the pool has connections, all open when the server stops.
  const cut = Array.from({ length: 12 }, () =>
    db
      .$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_sleep(2)`;
        await tx.$executeRaw`SELECT 1`;
      })
      .then(
        () => "committed",
        () => "failed",
      ),
  );
  await new Promise((r) => setTimeout(r, 500));
  pg.stop();
  expect(new Set(await Promise.all(cut))).toEqual(new Set(["failed"]));
  pg.start();

  // Every pooled connection is usable again: ten at once, each in a transaction of its own.
  const again = await Promise.all(
    Array.from({ length: 10 }, () => db.$transaction(async (tx) => tx.$queryRaw<{ n: number }[]>`SELECT 1 AS n`)),
  );
  expect(again.map((rows) => rows[0]?.n)).toEqual(Array.from({ length: 10 }, () => 1));
  // And the client lets go: every connection is back in the pool.
  await db.$disconnect();
}, 120_000);
