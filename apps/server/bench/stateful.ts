/**
 * Benchmark: stateful services and workers, each next to a raw baseline measured in the same run.
 * 1. The unavailability window of a stop-first redeploy of a PostgreSQL service with a volume
 *    (clients probing `SELECT 1` every 20 ms on its published port), next to a raw `docker stop`
 *    + `docker rm` + `docker run` of the same image with the same kind of volume.
 * 2. The time from the deploy call to a worker's container running (and to the deployment
 *    succeeding, after its stable period), next to a raw create + start of the same container.
 *
 *   DATABASE_URL=... node --import tsx apps/server/bench/stateful.ts [runs]
 */
import { randomUUID } from "node:crypto";
import Docker from "dockerode";
import pg from "pg";
import type { DockerEngine } from "@berth/engine";
import { enqueueDeployment } from "../src/deployments/deployments.ts";
import { createService } from "../src/services/services.ts";
import { createServiceInput } from "../src/services/service-input.ts";
import { freePort } from "../test/free-ports.ts";
import { deploymentWorker, finishedDeployment } from "../test/deploy-harness.ts";
import { seedUser, testDeps } from "../test/harness.ts";

const runs = Number(process.argv[2] ?? 3);
const POSTGRES = "berth-test/postgres:15";
const APP = "berth-test/app:latest";
const PASSWORD = "bench-password";
const docker = new Docker({ socketPath: "/var/run/docker.sock", version: "v1.41" });

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function answers(port: number): Promise<boolean> {
  const client = new pg.Client({
    host: "127.0.0.1",
    port,
    user: "postgres",
    password: PASSWORD,
    database: "postgres",
    connectionTimeoutMillis: 1000,
  });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Probe every 20 ms while `redeploy` runs: the window is from the last answer before the first
 * failure to the first answer after it (0 when nothing ever failed).
 */
async function unavailability(port: number, redeploy: () => Promise<void>): Promise<number> {
  let lastOk = performance.now();
  let downSince: number | null = null;
  let window = 0;
  let probing = true;
  const loop = (async () => {
    while (probing || downSince !== null) {
      const ok = await answers(port);
      const now = performance.now();
      if (ok) {
        if (downSince !== null) {
          window = Math.max(window, now - lastOk);
          downSince = null;
        }
        lastOk = now;
      } else downSince ??= now;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  await redeploy();
  probing = false;
  await loop;
  return window;
}

async function untilAnswers(port: number): Promise<void> {
  while (!(await answers(port))) await new Promise((r) => setTimeout(r, 100));
}

async function rawPostgres(volume: string, port: number): Promise<Docker.Container> {
  const container = await docker.createContainer({
    Image: POSTGRES,
    Env: [`POSTGRES_PASSWORD=${PASSWORD}`],
    ExposedPorts: { "5432/tcp": {} },
    HostConfig: {
      Init: true,
      Mounts: [{ Type: "volume", Source: volume, Target: "/var/lib/postgresql/data" }],
      PortBindings: { "5432/tcp": [{ HostIp: "127.0.0.1", HostPort: String(port) }] },
    },
  });
  await container.start();
  return container;
}

async function main(): Promise<void> {
  const deps = testDeps();
  await (deps.engine as DockerEngine).ensureImage(POSTGRES).catch(() => {
    throw new Error(`${POSTGRES} is missing: bash infra/build-test-images.sh`);
  });
  const worker = deploymentWorker(deps, 2);
  worker.start();
  const { actor, teamId } = await seedUser(deps.db);
  const projectId = (await deps.db.project.create({ data: { teamId, name: `bench-${randomUUID().slice(0, 6)}` } })).id;
  const serviceIds: string[] = [];
  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    // 1. PostgreSQL, stop-first (the default for a service with a volume), published on loopback.
    const dbPort = await freePort();
    const db = await createService(
      deps,
      actor,
      createServiceInput.parse({
        projectId,
        name: "db",
        image: POSTGRES,
        kind: "tcp",
        containerPort: 5432,
        publish: { hostPort: dbPort },
        volumes: [{ name: "pgdata", mountPath: "/var/lib/postgresql/data" }],
        env: [{ key: "POSTGRES_PASSWORD", value: PASSWORD }],
        healthCheck: { type: "command", command: "pg_isready -h 127.0.0.1 -U postgres", intervalS: 1, startPeriodS: 60 },
        deploy: true,
      }),
    );
    serviceIds.push(db.id);
    const first = await finishedDeployment(deps, db.deploymentId!, 180_000);
    if (first.status !== "succeeded") throw new Error(`first deploy ${first.status}: ${first.error}`);
    await untilAnswers(dbPort);

    const rawVolume = `berth-bench-raw-${randomUUID().slice(0, 8)}`;
    const rawPort = await freePort();
    let raw = await rawPostgres(rawVolume, rawPort);
    cleanup.push(async () => {
      await raw.remove({ force: true }).catch(() => undefined);
      await docker
        .getVolume(rawVolume)
        .remove()
        .catch(() => undefined);
    });
    await untilAnswers(rawPort);

    const berthWindows: number[] = [];
    const rawWindows: number[] = [];
    for (let i = 0; i < runs; i++) {
      rawWindows.push(
        await unavailability(rawPort, async () => {
          await raw.stop({ t: 10 });
          await raw.remove();
          raw = await rawPostgres(rawVolume, rawPort);
          await untilAnswers(rawPort);
        }),
      );
      berthWindows.push(
        await unavailability(dbPort, async () => {
          const done = await finishedDeployment(deps, (await enqueueDeployment(deps, actor, db.id)).deploymentId, 180_000);
          if (done.status !== "succeeded") throw new Error(`redeploy ${done.status}: ${done.error}`);
          await untilAnswers(dbPort);
        }),
      );
    }

    // 2. A worker: deploy call -> container running, and -> deployment succeeded (1 s stable).
    const workerRun: number[] = [];
    const workerDone: number[] = [];
    const rawWorker: number[] = [];
    for (let i = 0; i < runs + 2; i++) {
      const t0 = performance.now();
      const container = await docker.createContainer({
        Image: APP,
        Entrypoint: ["sh", "-c", "while :; do sleep 1; done"],
        HostConfig: { Init: true },
      });
      await container.start();
      while (!(await container.inspect()).State.Running) await new Promise((r) => setTimeout(r, 10));
      rawWorker.push(performance.now() - t0);
      await container.remove({ force: true });

      const input = createServiceInput.parse({
        projectId,
        name: `worker-${i}`,
        image: APP,
        kind: "worker",
        containerPort: null,
        entrypoint: "sh -c 'while :; do sleep 1; done'",
        workerStableS: 1,
      });
      const { id } = await createService(deps, actor, input);
      serviceIds.push(id);
      const started = performance.now();
      const { deploymentId } = await enqueueDeployment(deps, actor, id);
      while (!(await deps.engine.listManaged({ serviceId: id })).some((c) => c.state === "running"))
        await new Promise((r) => setTimeout(r, 10));
      workerRun.push(performance.now() - started);
      const done = await finishedDeployment(deps, deploymentId);
      if (done.status !== "succeeded") throw new Error(`worker deploy ${done.status}: ${done.error}`);
      workerDone.push(performance.now() - started);
    }

    const ms = (v: number) => `${v.toFixed(0)} ms`;
    console.info(`stateful: ${runs} redeploys each, ${runs + 2} workers (medians)`);
    console.info(
      `  PostgreSQL redeploy unavailability  berth (stop-first) ${ms(median(berthWindows))}   raw docker stop + run ${ms(median(rawWindows))}   ratio ${(median(berthWindows) / median(rawWindows)).toFixed(2)}`,
    );
    console.info(`    all runs: berth ${berthWindows.map(ms).join(", ")}; raw ${rawWindows.map(ms).join(", ")}`);
    console.info(
      `  worker: deploy call -> running     berth ${ms(median(workerRun))}   raw create + start ${ms(median(rawWorker))}   ratio ${(median(workerRun) / median(rawWorker)).toFixed(2)}`,
    );
    console.info(`  worker: deploy call -> succeeded   berth ${ms(median(workerDone))} (includes its 1 s stable period)`);
  } finally {
    await worker.stop();
    for (const id of serviceIds) await deps.engine.removeService(id).catch(() => undefined);
    for (const c of cleanup) await c();
    await deps.engine.removeVolume(projectId, "pgdata").catch(() => undefined);
    await deps.engine.pruneNetworks({ projectId }).catch(() => undefined);
    await deps.db.$disconnect();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
