/**
 * Fill a PostgreSQL service's database with about `mb` MB of random bytes (1 KiB a row):
 * incompressible, so a custom-format dump (zlib) is about as large as the data.
 */
import type { Deps } from "../src/deps.ts";
import { findLiveContainer } from "../src/services/live-container.ts";

export async function fillDatabase(deps: Pick<Deps, "db" | "engine">, serviceId: string, mb: number, table = "big"): Promise<void> {
  const live = await findLiveContainer(deps, serviceId);
  if (!live) throw new Error("the database is not running");
  // pgcrypto's gen_random_bytes (1 KiB a call) is fast; batches of 16 MB keep each transaction small.
  for (let done = 0; done < mb; done += 16) {
    const rows = Math.min(16, mb - done) * 1024;
    const query = `CREATE EXTENSION IF NOT EXISTS pgcrypto; CREATE TABLE IF NOT EXISTS ${table} (id bigint, payload bytea); INSERT INTO ${table} SELECT g, gen_random_bytes(1024) FROM generate_series(${done * 1024 + 1}, ${done * 1024 + rows}) g;`;
    const out = await deps.engine.exec(live.containerId, {
      cmd: ["psql", "-X", "-qAt", "-U", "app", "-d", "app", "-v", "ON_ERROR_STOP=1", "-c", query],
      timeoutMs: 10 * 60_000,
    });
    if (out.exitCode !== 0) throw new Error(out.stderr);
  }
}
