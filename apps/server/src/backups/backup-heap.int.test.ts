import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DockerEngine } from "@berth/engine";
import { requireTestImage, seedUser, testDeps } from "../../test/harness.ts";
import { allowLocalSources, deploymentWorker, finishedDeployment } from "../../test/deploy-harness.ts";
import { fillDatabase } from "../../test/big-database.ts";
import { startLocalS3, type LocalS3 } from "../../test/s3-server.ts";
import { createDatabase, createDatabaseInput } from "../databases/create-database.ts";
import { destinationInput } from "./destination-input.ts";
import { saveDestination } from "./destinations.ts";

/**
 * The dump streams: a backup to S3 (s3rver) of a database several times larger than the heap
 * of the process that runs it completes, and that process never holds more than a small part
 * of the dump in Buffers either (Buffers live outside the V8 heap, so the heap limit alone
 * would not catch a dump collected in Buffers).
 */
const HEAP_MB = 64;
const DATA_MB = 224;
const deps = testDeps();
const worker = deploymentWorker(deps);
let s3: LocalS3;
let projectId = "";
let serviceId = "";

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  deps.env.BERTH_READY_TIMEOUT_S = 90;
  await allowLocalSources(deps, true);
  s3 = await startLocalS3(["heap"]);
  worker.start();
});

afterAll(async () => {
  await worker.stop();
  if (serviceId) await deps.engine.removeService(serviceId);
  for (const v of await deps.db.volume.findMany({ where: { serviceId } }))
    await deps.engine.removeVolume(v.projectId, v.name).catch(() => undefined);
  if (projectId) await deps.engine.pruneNetworks({ projectId }).catch(() => undefined);
  await s3?.close();
  await deps.db.$disconnect();
});

function backupInChild(id: string): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(
    process.execPath,
    [`--max-old-space-size=${HEAP_MB}`, "--import", "tsx", fileURLToPath(new URL("../../test/backup-heap-child.ts", import.meta.url)), id],
    {
      // The same instance secret: the child opens the destination's sealed key.
      env: { ...process.env, BERTH_SECRET: deps.env.BERTH_SECRET },
      cwd: fileURLToPath(new URL("../..", import.meta.url)),
    },
  );
  let out = "";
  let err = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr.on("data", (c: Buffer) => (err += c.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, out, err })));
}

describe("a backup streams (real PostgreSQL, real S3 server)", () => {
  it(`backs up ${DATA_MB} MB to S3 from a process with a ${HEAP_MB} MB heap`, async () => {
    const { actor, teamId } = await seedUser(deps.db);
    projectId = (await deps.db.project.create({ data: { teamId, name: `heap-${Date.now().toString(36)}` } })).id;
    const db = await createDatabase(
      deps,
      actor,
      createDatabaseInput.parse({ projectId, name: "big", engine: "postgresql", image: "berth-test/postgres:15" }),
    );
    serviceId = db.id;
    expect(await finishedDeployment(deps, db.deploymentId!, 120_000)).toMatchObject({ status: "succeeded" });
    await saveDestination(
      deps,
      actor,
      projectId,
      destinationInput.parse({
        kind: "s3",
        endpoint: s3.endpoint,
        bucket: "heap",
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
      }),
    );
    await fillDatabase(deps, serviceId, DATA_MB);

    const { code, out, err } = await backupInChild(serviceId);
    expect(err).not.toMatch(/heap out of memory/i);
    expect({ code, err: err.slice(-3000) }).toMatchObject({ code: 0 });
    const result = JSON.parse(out.trim().split("\n").pop()!) as {
      status: string;
      sizeBytes: number;
      peak: { heapUsed: number; arrayBuffers: number };
    };
    expect(result.status).toBe("succeeded");
    // The dump is several times the heap limit, and the process never held half of it (heap and
    // Buffers together; the S3 upload's parts, 2 x 8 MiB in flight, are most of the Buffers).
    expect(result.sizeBytes).toBeGreaterThan(3 * HEAP_MB * 1024 * 1024);
    expect(result.peak.heapUsed + result.peak.arrayBuffers).toBeLessThan(result.sizeBytes / 2);
    const row = await deps.db.databaseBackup.findFirstOrThrow({ where: { serviceId } });
    expect(Number(row.sizeBytes)).toBe(result.sizeBytes);
  }, 600_000);
});
