/**
 * Integration files run in parallel (vitest project `int`, INT_WORKERS workers), each worker on a
 * database of its own: `<the run's database>_w<VITEST_POOL_ID>`. A file resets its database's
 * shared state when it starts (int-file-setup.ts); two files on one database at once would undo
 * each other's queue, instance settings and rate limits. Everything else the files share -- the
 * Docker Engine, the host's ports -- is safe to share by the rule in docs/architecture.md (Tests).
 *
 * `workerDatabaseUrl` is pure (used by int-worker-db.ts in each worker); the default export is
 * the project's globalSetup: it makes each worker's database afresh as a copy of the run's
 * database (which the test command migrated), so a worker's database holds the same schema.
 */
import { Client } from "pg";

/** Workers of the parallel integration project (vitest.config.mts reads it too). */
export const INT_WORKERS = 2;

/** The worker's database next to `baseUrl`'s: same server and role, name `<name>_w<poolId>`. */
export function workerDatabaseUrl(baseUrl: string, poolId: string | number): string {
  const url = new URL(baseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (!name) throw new Error("DATABASE_URL names no database");
  url.pathname = `/${encodeURIComponent(`${name}_w${poolId}`)}`;
  return url.toString();
}

/** Postgres identifiers are quoted: the names come from the environment, not from a user. */
const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

export default async function setup(): Promise<(() => Promise<void>) | void> {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) return;
  const base = decodeURIComponent(new URL(baseUrl).pathname.slice(1));
  // Connected to the maintenance database: a template must have no other session.
  const maintenance = new URL(baseUrl);
  maintenance.pathname = "/postgres";
  const client = new Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    for (let id = 1; id <= INT_WORKERS; id++) {
      const name = decodeURIComponent(new URL(workerDatabaseUrl(baseUrl, id)).pathname.slice(1));
      await client.query(`DROP DATABASE IF EXISTS ${quoted(name)} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${quoted(name)} TEMPLATE ${quoted(base)}`);
    }
  } finally {
    await client.end();
  }
  return () => removeLeftNetworks(baseUrl);
}

/** The ids of every project in the run's database and its workers' (the projects the files made). */
async function projectIdsOfRun(baseUrl: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const url of [baseUrl, ...Array.from({ length: INT_WORKERS }, (_, i) => workerDatabaseUrl(baseUrl, i + 1))]) {
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      for (const row of (await client.query<{ id: string }>("SELECT id FROM project")).rows) ids.add(row.id);
    } catch {
      // A database the run never made: nothing of it to clean.
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return ids;
}

/**
 * After the run: project networks (`berth-p-<project id>`) that files left on the shared engine,
 * removed when their project belongs to this run's databases and no container uses them. Each
 * leak costs a /24 of the engine's address pool, which a Berth running on the same host shares;
 * networks of any other project (a running Berth's) are never touched. Never fails the run.
 */
async function removeLeftNetworks(baseUrl: string): Promise<void> {
  try {
    const ids = await projectIdsOfRun(baseUrl);
    const { default: Docker } = await import("dockerode");
    const docker = new Docker();
    const networks = await docker.listNetworks({ filters: { name: ["berth-p-"] } });
    let removed = 0;
    for (const n of networks) {
      const projectId = n.Name.replace(/^berth-p-/, "");
      if (!ids.has(projectId) || Object.keys(n.Containers ?? {}).length > 0) continue;
      await docker
        .getNetwork(n.Id)
        .remove()
        .then(() => removed++)
        .catch(() => undefined); // in use after all, or gone: leave it
    }
    if (removed > 0) console.log(`[int] removed ${removed} project network(s) the files left on the engine`);
  } catch (err) {
    console.warn(`[int] could not clean up the files' project networks: ${String(err)}`);
  }
}
