import { PrismaClient } from "../generated/client.ts";
import { poolConfigFromUrl } from "./pg-config.ts";
import { ReleasingPrismaPg } from "./release-on-failed-close.ts";

export type Db = PrismaClient;

/**
 * The Prisma client over node-postgres (no native query engine). Queries fail fast when
 * Postgres is down instead of hanging: connections time out after 5 s. A transaction cut off by
 * an outage gives its connection back (release-on-failed-close.ts).
 */
export function createDb(databaseUrl: string): Db {
  const adapter = new ReleasingPrismaPg({
    ...poolConfigFromUrl(databaseUrl),
    max: 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  return new PrismaClient({ adapter });
}
