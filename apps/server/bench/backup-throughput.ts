/**
 * Benchmark: backup and restore throughput (MB/s) of a PostgreSQL database of at least 200 MB
 * through Berth (pg_dump streamed through the engine into a local S3 server, checksummed;
 * restore: checksum pass, then pg_restore fed through the engine), next to pg_dump / pg_restore
 * run directly in the same container in the same run (a file inside the container, no network).
 * MB/s = dump size / time.
 *
 *   DATABASE_URL=... node --import tsx apps/server/bench/backup-throughput.ts [MB]
 */
import type { DockerEngine } from "@berth/engine";
import { createDatabase, createDatabaseInput } from "../src/databases/create-database.ts";
import { destinationInput } from "../src/backups/destination-input.ts";
import { saveDestination } from "../src/backups/destinations.ts";
import { restoreBackup } from "../src/backups/restore-backup.ts";
import { backupNow } from "../src/backups/run-backup.ts";
import { findLiveContainer } from "../src/services/live-container.ts";
import { fillDatabase } from "../test/big-database.ts";
import { allowLocalSources, deploymentWorker, finishedDeployment } from "../test/deploy-harness.ts";
import { requireTestImage, seedUser, testDeps } from "../test/harness.ts";
import { startLocalS3 } from "../test/s3-server.ts";
import { secs } from "./bench-util.ts";

const mb = Math.max(200, Number(process.argv[2] ?? 200));
const deps = testDeps();
deps.env.BERTH_READY_TIMEOUT_S = 120;
const worker = deploymentWorker(deps);
const s3 = await startLocalS3(["bench"]);
let serviceId = "";
let projectId = "";
const rate = (bytes: number, ms: number) => `${(bytes / 1024 / 1024 / (ms / 1000)).toFixed(1)} MB/s`;

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

async function direct(containerId: string, cmd: string[]): Promise<void> {
  const out = await deps.engine.exec(containerId, { cmd, env: { PGUSER: "app", PGDATABASE: "app" }, timeoutMs: 60 * 60_000 });
  if (out.exitCode !== 0) throw new Error(`${cmd[0]} failed: ${out.stderr}`);
}

try {
  await requireTestImage(deps.engine as DockerEngine);
  await allowLocalSources(deps, true);
  worker.start();
  const { actor, teamId } = await seedUser(deps.db);
  projectId = (await deps.db.project.create({ data: { teamId, name: `bench-backup-${Date.now().toString(36)}` } })).id;
  const db = await createDatabase(
    deps,
    actor,
    createDatabaseInput.parse({ projectId, name: "benchdb", engine: "postgresql", image: "berth-test/postgres:15" }),
  );
  serviceId = db.id;
  const deployed = await finishedDeployment(deps, db.deploymentId!, 300_000);
  if (deployed.status !== "succeeded") throw new Error(`the database did not deploy: ${deployed.error}`);
  await saveDestination(
    deps,
    actor,
    projectId,
    destinationInput.parse({
      kind: "s3",
      endpoint: s3.endpoint,
      bucket: "bench",
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    }),
  );
  const filled = await timed(() => fillDatabase(deps, serviceId, mb));
  const containerId = (await findLiveContainer(deps, serviceId))!.containerId;

  const backup = await timed(() => backupNow(deps, actor, serviceId));
  const size = backup.value.sizeBytes;
  const restore = await timed(() => restoreBackup(deps, actor, serviceId, backup.value.id));
  const rawDump = await timed(() => direct(containerId, ["pg_dump", "--format=custom", "--no-password", "--file=/tmp/bench.pgdump"]));
  const rawRestore = await timed(() =>
    direct(containerId, [
      "pg_restore",
      "--single-transaction",
      "--exit-on-error",
      "--clean",
      "--if-exists",
      "--no-owner",
      "--no-password",
      "--dbname",
      "app",
      "/tmp/bench.pgdump",
    ]),
  );
  await direct(containerId, ["rm", "-f", "/tmp/bench.pgdump"]);

  console.info(`backup throughput: ${mb} MB of data (filled in ${secs(filled.ms)} s), dump ${(size / 1024 / 1024).toFixed(1)} MB`);
  console.info(
    `  backup   berth -> S3 ${secs(backup.ms)} s  ${rate(size, backup.ms)}    pg_dump to a file in the container ${secs(rawDump.ms)} s  ${rate(size, rawDump.ms)}`,
  );
  console.info(
    `  restore  berth <- S3 ${secs(restore.ms)} s  ${rate(size, restore.ms)}    pg_restore from a file in the container ${secs(rawRestore.ms)} s  ${rate(size, rawRestore.ms)}`,
  );
  console.info(
    `  (berth's restore reads the object twice: once to check its SHA-256, once into pg_restore; of its ${secs(restore.ms)} s, pg_restore ran ${secs(restore.value.durationMs)} s)`,
  );
} finally {
  await worker.stop();
  if (serviceId) {
    await deps.engine.removeService(serviceId).catch(() => undefined);
    for (const v of await deps.db.volume.findMany({ where: { serviceId } }))
      await deps.engine.removeVolume(v.projectId, v.name).catch(() => undefined);
  }
  if (projectId) await deps.engine.pruneNetworks({ projectId }).catch(() => undefined);
  await s3.close();
  await deps.db.$disconnect();
}
