import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DockerEngine } from "@berth/engine";
import { requireTestImage, seedUser, testDeps, waitFor } from "../../test/harness.ts";
import { deploymentWorker } from "../../test/deploy-harness.ts";
import { stackSettled } from "../../test/stack-settled.ts";
import { listOneOffs, getOneOff } from "../one-offs/one-offs.ts";
import type { Actor } from "../teams/access.ts";
import { attachStackCoordinator, deployStack } from "./deploy-stack.ts";
import { createStack } from "./create-stack.ts";
import { createStackInput } from "./stack-input.ts";

/**
 * `depends_on: {condition: service_completed_successfully}` on the real engine: a migration job
 * writes a row into the stack's PostgreSQL, the web tier starts only after it exited 0 and serves
 * that row; the job's output is kept as a run. On the next deploy the job exits 3: the deploy
 * fails naming the job and its exit code, and the web tier keeps serving its release.
 */
const deps = testDeps();
const worker = deploymentWorker(deps);
const detach = attachStackCoordinator(deps);
const touched: string[] = [];
let projectId: string;
let owner: Actor;

// The job exits 0 only while it has written the table's only row (the database keeps its volume
// across the redeploy): the second deploy's run exits 3.
const STACK = `
services:
  web:
    image: berth-test/app:latest
    ports: ["8080"]
    environment: { DATABASE_URL: "postgresql://app:pw@db:5432/app" }
    depends_on:
      migrate: { condition: service_completed_successfully }
  migrate:
    image: berth-test/app:latest
    command: ["sh", "-c", "psql \\"$$DATABASE_URL\\" -qc 'CREATE TABLE IF NOT EXISTS rows (v text)' -c \\"INSERT INTO rows VALUES ('from-the-job')\\" && n=$$(psql \\"$$DATABASE_URL\\" -tAc 'SELECT count(*) FROM rows') && echo \\"rows: $$n\\" && [ \\"$$n\\" = 1 ] || exit 3"]
    environment: { DATABASE_URL: "postgresql://app:pw@db:5432/app" }
    restart: on-failure
    depends_on:
      db: { condition: service_healthy }
  db:
    image: berth-test/postgres:15
    environment: { POSTGRES_USER: app, POSTGRES_DB: app, POSTGRES_PASSWORD: pw }
    volumes: ["pgdata:/var/lib/postgresql/data"]
    healthcheck:
      test: ["CMD", "pg_isready", "-U", "app", "-h", "127.0.0.1"]
      interval: 1s
      retries: 60
volumes:
  pgdata:
`;

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  const seeded = await seedUser(deps.db);
  owner = seeded.actor;
  projectId = (await deps.db.project.create({ data: { teamId: seeded.teamId, name: "stack-jobs" } })).id;
  worker.start();
});

afterAll(async () => {
  detach();
  await worker.stop();
  for (const id of touched) await deps.engine.removeService(id);
  for (const v of await deps.db.volume.findMany({ where: { serviceId: { in: touched } } }))
    await deps.engine.removeVolume(v.projectId, v.name).catch(() => undefined);
  // The project network too: the shared engine has room for a few dozen bridge networks only.
  await deps.engine.pruneNetworks({ projectId }).catch(() => undefined);
  await deps.db.$disconnect();
});

describe("stack jobs (service_completed_successfully)", () => {
  it("runs the job once per deploy before its dependents, keeps its output, and a failing run fails the deploy while the web tier keeps serving", async () => {
    const created = await createStack(deps, owner, createStackInput.parse({ projectId, name: "jobs", compose: STACK }));
    touched.push(...created.services.map((s) => s.id));
    expect(created.services.map((s) => s.name)).toEqual(["db", "migrate", "web"]);

    const first = await stackSettled(deps, owner, created.id);
    const byName = (s: typeof first) => Object.fromEntries(s.services.map((m) => [m.name, m]));
    const { migrate, web } = byName(first);
    expect(first.services.map((s) => [s.name, s.stackState, s.stackReason])).toEqual([
      ["db", "done", null],
      ["migrate", "done", null],
      ["web", "done", null],
    ]);
    expect(migrate).toMatchObject({ job: true, kind: "worker", dependsOn: [{ service: "db", condition: "service_healthy" }] });
    expect(web!.dependsOn).toEqual([{ service: "migrate", condition: "service_completed_successfully" }]);

    // The job ran as a run of its service (output kept), and the web tier was queued after it ended.
    const [run] = await listOneOffs(deps, owner, migrate!.id, { limit: 5 });
    expect(run).toMatchObject({ trigger: "job", status: "succeeded", exitCode: 0 });
    expect((await getOneOff(deps, owner, migrate!.id, run!.id)).output).toContain("rows: 1\n");
    const webDeployment = await deps.db.deployment.findFirstOrThrow({ where: { serviceId: web!.id } });
    expect(webDeployment.createdAt.getTime()).toBeGreaterThanOrEqual(run!.finishedAt!.getTime());
    // Not a long-running service: nothing left running, no release, never restarted by the reconciler.
    expect(await deps.engine.listManaged({ serviceId: migrate!.id })).toEqual([]);
    expect(await deps.db.release.count({ where: { serviceId: migrate!.id } })).toBe(0);
    expect((await deps.db.service.findUniqueOrThrow({ where: { id: migrate!.id } })).desiredState).toBe("stopped");

    // The web tier serves the job's row.
    const rows = `http://127.0.0.1:${webDeployment.hostPort}/cgi-bin/rows`;
    expect(
      await waitFor(
        "web to serve the job's row",
        async () => ((await (await fetch(rows)).text().catch(() => "")).includes("from-the-job") ? true : null),
        60_000,
      ),
    ).toBe(true);

    // Deploy again: the job runs again, now exits 3; the stack names it, web is not redeployed and still serves.
    await deployStack(deps, owner, created.id);
    const second = byName(await stackSettled(deps, owner, created.id));
    expect(second.migrate).toMatchObject({
      stackState: "failed",
      stackReason: expect.stringContaining("The job migrate exited with code 3"),
    });
    expect(second.web).toMatchObject({ stackState: "failed", stackReason: "Not deployed: its dependency migrate failed" });
    const runs = await listOneOffs(deps, owner, migrate!.id, { limit: 5 });
    expect(runs.map((r) => [r.trigger, r.status, r.exitCode])).toEqual([
      ["job", "failed", 3],
      ["job", "succeeded", 0],
    ]);
    expect((await getOneOff(deps, owner, migrate!.id, runs[0]!.id)).output).toContain("rows: 2\n");
    expect(await deps.db.deployment.count({ where: { serviceId: web!.id } })).toBe(1);
    expect(await (await fetch(rows)).text()).toContain("from-the-job");
  }, 400_000);
});
