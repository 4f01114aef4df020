import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DockerEngine } from "@berth/engine";
import { requireTestImage, seedUser, testDeps, waitFor } from "../../test/harness.ts";
import { deploymentWorker } from "../../test/deploy-harness.ts";
import { stackSettled } from "../../test/stack-settled.ts";
import { listEnv } from "../secrets/env-vars.ts";
import type { Actor } from "../teams/access.ts";
import { attachStackCoordinator, deployStack } from "./deploy-stack.ts";
import { createStack } from "./create-stack.ts";
import { createStackInput } from "./stack-input.ts";
import { getStack } from "./stack-view.ts";

/**
 * A compose stack on the real engine: a database with a healthcheck, an api and a worker that
 * need it healthy, a web tier that needs the api; deployed in that order, served end to end.
 */
const deps = testDeps();
const worker = deploymentWorker(deps);
const detach = attachStackCoordinator(deps);
const touched: string[] = [];
const projects: string[] = [];
let owner: Actor;
let teamId: string;

const STACK = `
name: shop
services:
  web:
    image: berth-test/app:latest
    ports: ["8080:8080"]
    environment:
      API_URL: http://api:8080
    depends_on:
      api: { condition: service_started }
  api:
    image: berth-test/app:latest
    expose: ["8080"]
    environment:
      DATABASE_URL: postgresql://app:\${DB_PASSWORD}@db:5432/app
    volumes: ["./uploads:/srv/uploads"]
    depends_on:
      db: { condition: service_healthy }
  worker:
    image: berth-test/app:latest
    command: ["sh", "-c", "psql \\"$$DATABASE_URL\\" -qc 'CREATE TABLE IF NOT EXISTS rows (v text)' -c \\"INSERT INTO rows VALUES ('from-the-worker')\\" && exec sleep 100000"]
    environment:
      DATABASE_URL: postgresql://app:\${DB_PASSWORD}@db:5432/app
    depends_on:
      db: { condition: service_healthy }
  db:
    image: berth-test/postgres:15
    environment:
      POSTGRES_USER: app
      POSTGRES_DB: app
      POSTGRES_PASSWORD: \${DB_PASSWORD:?set DB_PASSWORD}
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
  ({ actor: owner, teamId } = await seedUser(deps.db));
  worker.start();
});

afterAll(async () => {
  detach();
  await worker.stop();
  for (const id of touched) await deps.engine.removeService(id);
  for (const v of await deps.db.volume.findMany({ where: { serviceId: { in: touched } } }))
    await deps.engine.removeVolume(v.projectId, v.name).catch(() => undefined);
  // The project networks too: the shared engine has room for a few dozen bridge networks only.
  for (const projectId of projects) await deps.engine.pruneNetworks({ projectId }).catch(() => undefined);
  await deps.db.$disconnect();
});

async function newProject(name: string) {
  const project = await deps.db.project.create({ data: { teamId, name } });
  projects.push(project.id);
  return project;
}

describe("compose stacks (real engine, real PostgreSQL image)", () => {
  it("creates four services and deploys them in dependency order: the database healthy first, then api and worker, then web; the stack serves", async () => {
    const project = await newProject("stack-shop");
    const created = await createStack(
      deps,
      owner,
      createStackInput.parse({
        projectId: project.id,
        name: "shop",
        compose: STACK,
        variables: [{ key: "DB_PASSWORD", value: "pw-in-a-variable" }],
      }),
    );
    touched.push(...created.services.map((s) => s.id));
    expect(created.services.map((s) => s.name)).toEqual(["db", "api", "web", "worker"]);

    const stack = await stackSettled(deps, owner, created.id);
    expect(stack.services.map((s) => [s.name, s.stackState, s.stackReason])).toEqual([
      ["db", "done", null],
      ["api", "done", null],
      ["web", "done", null],
      ["worker", "done", null],
    ]);
    expect(stack.services.find((s) => s.name === "api")?.dependsOn).toEqual([{ service: "db", condition: "service_healthy" }]);

    // Order: every dependent's deployment was queued only after its dependencies' succeeded.
    const members = await deps.db.stackService.findMany({
      where: { stackId: created.id },
      include: { service: { select: { name: true } } },
    });
    const deployment = async (name: string) =>
      deps.db.deployment.findUniqueOrThrow({ where: { id: members.find((m) => m.service.name === name)!.deploymentId! } });
    const [db, api, web, wrk] = await Promise.all(["db", "api", "web", "worker"].map(deployment));
    expect(db!.status).toBe("succeeded");
    expect(api!.createdAt.getTime()).toBeGreaterThanOrEqual(db!.finishedAt!.getTime());
    expect(wrk!.createdAt.getTime()).toBeGreaterThanOrEqual(db!.finishedAt!.getTime());
    expect(web!.createdAt.getTime()).toBeGreaterThanOrEqual(api!.finishedAt!.getTime());

    // It serves: web -> api (by name on the project network) -> db, with the worker's row in it.
    const relay = `http://127.0.0.1:${web!.hostPort}/cgi-bin/relay`;
    const text = await waitFor(
      "the web tier to relay the api's rows",
      async () => {
        const body = await (await fetch(relay)).text().catch(() => "");
        return body.includes("from-the-worker") ? body : null;
      },
      60_000,
    );
    expect(text).toContain("from-the-worker");

    // The variable's value is a secret of the services that used it; the stack keeps it sealed.
    const dbVars = await listEnv(deps, owner, { serviceId: members.find((m) => m.service.name === "db")!.serviceId });
    expect(dbVars.find((v) => v.name === "POSTGRES_PASSWORD")).toMatchObject({ secret: true, value: null });
    expect(dbVars.find((v) => v.name === "POSTGRES_USER")).toMatchObject({ secret: false, value: "app" });
    // The directory beside the file is the api's volume, and the stack's page says so.
    const uploads = await deps.db.volume.findFirstOrThrow({ where: { projectId: project.id, name: "uploads" } });
    expect(uploads).toMatchObject({
      serviceId: members.find((m) => m.service.name === "api")!.serviceId,
      mountPath: "/srv/uploads",
      hostPath: null,
    });
    expect(stack.importWarnings).toEqual(
      expect.arrayContaining([
        { service: "api", key: "volumes.0", message: expect.stringMatching(/^\.\/uploads becomes the volume uploads/) },
      ]),
    );
    const row = await deps.db.stack.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.variables).not.toContain("pw-in-a-variable");
    const audit = await deps.db.auditEvent.findFirstOrThrow({ where: { targetId: created.id, action: "stack.create" } });
    expect(JSON.stringify(audit.detail)).not.toContain("pw-in-a-variable");
  }, 300_000);

  it("fails the services that depend on a failed one, naming it, and deploys the others", async () => {
    const project = await newProject("stack-broken");
    const compose = `
services:
  db: { image: "berth-test/not-here:1", expose: ["5432"] }
  api: { image: "berth-test/hello:latest", ports: ["8080"], depends_on: { db: { condition: service_healthy } } }
  web: { image: "berth-test/hello:latest", ports: ["8080"], depends_on: [api] }
  side: { image: "berth-test/hello:latest", ports: ["8080"] }
`;
    const created = await createStack(deps, owner, createStackInput.parse({ projectId: project.id, name: "broken", compose }));
    touched.push(...created.services.map((s) => s.id));
    const stack = await stackSettled(deps, owner, created.id);
    const byName = Object.fromEntries(stack.services.map((s) => [s.name, s]));
    expect(byName.db).toMatchObject({ stackState: "failed", stackReason: expect.stringMatching(/^Its deployment failed/) });
    expect(byName.api).toMatchObject({ stackState: "failed", stackReason: "Not deployed: its dependency db failed" });
    expect(byName.web).toMatchObject({ stackState: "failed", stackReason: "Not deployed: its dependency api failed" });
    expect(byName.side).toMatchObject({ stackState: "done", stackReason: null });
    // The dependents were never queued.
    expect(await deps.db.deployment.count({ where: { serviceId: { in: [byName.api!.id, byName.web!.id] } } })).toBe(0);
  }, 300_000);

  it("creates nothing when the file is refused, and lists every problem with its service and key", async () => {
    const project = await newProject("stack-refused");
    const compose =
      "services:\n  web: { image: 'berth-test/hello:latest', ports: ['8080'] }\n  agent: { image: 'berth-test/hello:latest', privileged: true, mac_address: '02:42:ac:11:65:43' }\n";
    await expect(
      createStack(deps, owner, createStackInput.parse({ projectId: project.id, name: "refused", compose })),
    ).rejects.toMatchObject({
      code: "INVALID",
      message: expect.stringContaining(
        "agent: privileged -- Refused: services.agent.privileged gives the container full access to the host. Only the instance owner can allow",
      ),
      fieldErrors: { "compose.agent.privileged": expect.stringMatching(/^Refused/), "compose.agent.mac_address": "Not supported by Berth" },
    });
    // A name already taken in the project: refused before anything is written.
    const taken = await createStack(
      deps,
      owner,
      createStackInput.parse({
        projectId: project.id,
        name: "first",
        compose: "services:\n  web: { image: 'berth-test/hello:latest', ports: ['8080'] }\n",
        deploy: false,
      }),
    );
    touched.push(...taken.services.map((s) => s.id));
    const again =
      "services:\n  cache: { image: 'berth-test/hello:latest', ports: ['8080'] }\n  web: { image: 'berth-test/hello:latest', ports: ['8080'] }\n";
    await expect(
      createStack(deps, owner, createStackInput.parse({ projectId: project.id, name: "second", compose: again, deploy: false })),
    ).rejects.toMatchObject({ fieldErrors: { "compose.web.(name)": 'A service named "web" already exists in this project' } });
    expect(await deps.db.service.findMany({ where: { projectId: project.id }, select: { name: true } })).toEqual([{ name: "web" }]);
    expect(await deps.db.stack.findMany({ where: { projectId: project.id }, select: { name: true } })).toEqual([{ name: "first" }]);
  });

  it("with host access allowed by the instance owner, a worker gets its capability and the host's PID namespace; turned off, its next release is refused", async () => {
    const project = await newProject("stack-host");
    // (Not privileged: this test engine itself runs without every capability, so it cannot grant them all.)
    const compose = "services:\n  agent: { image: 'berth-test/hello:latest', cap_add: [NET_ADMIN], pid: host }\n";
    await deps.db.instanceSettings.upsert({
      where: { id: 1 },
      create: { id: 1, allowHostAccess: true },
      update: { allowHostAccess: true },
    });
    try {
      const created = await createStack(deps, owner, createStackInput.parse({ projectId: project.id, name: "host", compose }));
      touched.push(...created.services.map((s) => s.id));
      const stack = await stackSettled(deps, owner, created.id);
      expect(stack.services.map((s) => [s.name, s.stackState, s.stackReason])).toEqual([["agent", "done", null]]);
      const [container] = await deps.engine.listManaged({ serviceId: created.services[0]!.id });
      // CAP_NET_ADMIN (bit 12) is not in Docker's default effective set.
      const status = (await deps.engine.exec(container!.containerId, { cmd: ["cat", "/proc/self/status"] })).output;
      const capEff = BigInt(`0x${/CapEff:\s*([0-9a-f]+)/.exec(status)![1]}`);
      expect(capEff & (1n << 12n)).toBe(1n << 12n);
      // The host's processes are visible (its own namespace would show two or three).
      const pids = (await deps.engine.exec(container!.containerId, { cmd: ["ls", "/proc"] })).output
        .split(/\s+/)
        .filter((e) => /^\d+$/.test(e));
      expect(pids.length).toBeGreaterThan(10);

      await deps.db.instanceSettings.update({ where: { id: 1 }, data: { allowHostAccess: false } });
      await deployStack(deps, owner, created.id);
      const again = await stackSettled(deps, owner, created.id);
      expect(again.services[0]).toMatchObject({
        stackState: "failed",
        stackReason: expect.stringContaining(
          "host access for compose stacks is off on this instance: only the instance owner can allow it",
        ),
      });
      // The running release is left as it was.
      expect((await deps.engine.listManaged({ serviceId: created.services[0]!.id })).map((c) => c.containerId)).toEqual([
        container!.containerId,
      ]);
    } finally {
      await deps.db.instanceSettings.update({ where: { id: 1 }, data: { allowHostAccess: false } });
    }
  }, 300_000);

  it("keeps other teams out", async () => {
    const project = await newProject("stack-private");
    const created = await createStack(
      deps,
      owner,
      createStackInput.parse({
        projectId: project.id,
        name: "private",
        compose: "services:\n  w: { image: 'berth-test/hello:latest', ports: ['8080'] }\n",
        deploy: false,
      }),
    );
    touched.push(...created.services.map((s) => s.id));
    const { actor: stranger } = await seedUser(deps.db);
    await expect(getStack(deps, stranger, created.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      createStack(
        deps,
        stranger,
        createStackInput.parse({ projectId: project.id, name: "x", compose: "services:\n  x: { image: nginx }\n" }),
      ),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
