import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startEngineNodes, type EngineNode, type EngineNodes } from "../../test/engine-nodes.ts";
import { removeClusterFixture } from "../../test/cluster-cleanup.ts";
import { finishedDeployment } from "../../test/deploy-harness.ts";
import { engineCall } from "../../test/private-dockerd.ts";
import { EDGE_TEST_IMAGE, seedService, seedUser, testDeps, TEST_IMAGE, waitFor } from "../../test/harness.ts";
import type { Client } from "../../test/http-harness.ts";
import { startHttp } from "../../test/http-harness.ts";
import { instanceOwnerAndMember } from "../../test/instance-clients.ts";
import { savePolicy } from "../backups/policy.ts";
import { createDatabase, createDatabaseInput } from "../databases/create-database.ts";
import { enqueueDeployment } from "../deployments/deployments.ts";
import { DeploymentWorker } from "../deployments/worker.ts";
import { DomainError } from "../errors.ts";
import { getService, startService, stopService } from "../services/services.ts";
import type { Actor } from "../teams/access.ts";
import { setServicePlacement } from "./service-placement.ts";
import { listServiceTasks } from "./service-tasks.ts";

/**
 * Cluster services with volumes, on a real two-node Docker Swarm of harness engines (a manager
 * and a worker; the host's shared engine never enters swarm mode): a service pinned to one node
 * keeps its data across a redeploy and a stop/start, a PostgreSQL database on the cluster keeps
 * its rows across a redeploy, the pinned node cannot be drained or removed, and a release whose
 * node stops mid-deploy ends failed with that reason.
 */
const deps = testDeps();
const tag = randomUUID().slice(0, 8);
const PG_IMAGE = "berth-test/postgres:15";
const worker = new DeploymentWorker(deps, { concurrency: 1, pollMs: 200 });
let http: { server: Server; base: string };
let engines: EngineNodes;
let owner: Client;
let team: { actor: Actor; teamId: string };
const serverIds: Record<string, string> = {};
const nodeIds: Record<string, string> = {};
const serviceIds: string[] = [];
/** The pinned service (busybox, a volume at /data) the steps below work on. */
let pinned: string;

beforeAll(async () => {
  [engines, http] = await Promise.all([startEngineNodes(2), startHttp(deps)]);
  ({ owner } = await instanceOwnerAndMember(deps, http.base, tag));
  await Promise.all(engines.nodes.map((n) => n.loadImages([TEST_IMAGE, PG_IMAGE, EDGE_TEST_IMAGE])));
  team = await seedUser(deps.db);
  worker.start();
}, 300_000);

afterAll(async () => {
  await worker.stop();
  await removeClusterFixture(deps, { tag, serviceIds, http, engines });
  await deps.db.$disconnect();
});

const node = (i: number): EngineNode => engines.nodes[i]!;
const fieldErrors = (err: unknown) => (err instanceof DomainError ? err.fieldErrors : { unexpected: String(err) });

async function deploy(serviceId: string) {
  const { deploymentId } = await enqueueDeployment(deps, team.actor, serviceId);
  return finishedDeployment(deps, deploymentId, 300_000);
}

async function running(serviceId: string) {
  const view = await listServiceTasks(deps, team.actor, serviceId);
  expect(view.error).toBeNull();
  return view.tasks.filter((t) => t.desiredState === "running" && t.state === "running");
}

/** The running container of a service's task on a node (by Berth's labels on the task's container). */
async function containerOn(n: EngineNode, serviceId: string): Promise<string> {
  const filters = encodeURIComponent(JSON.stringify({ label: [`io.berth.service=${serviceId}`], status: ["running"] }));
  return waitFor(
    `a running container of ${serviceId}`,
    async () => {
      const list = JSON.parse(await engineCall(n.socketPath, "GET", `/containers/json?filters=${filters}`)) as Array<{ Id: string }>;
      return list.length === 1 ? list[0]!.Id : null;
    },
    60_000,
  );
}

async function sh(n: EngineNode, serviceId: string, script: string): Promise<string> {
  const result = await n.engine.exec(await containerOn(n, serviceId), { cmd: ["sh", "-c", script], timeoutMs: 30_000 });
  expect({ exit: result.exitCode, stderr: result.stderr }).toEqual({ exit: 0, stderr: "" });
  return result.output;
}

describe("cluster services with volumes", () => {
  it("forms a cluster of a manager and a worker; more than one replica with a volume is refused at its field", async () => {
    for (const [name, i] of [
      ["a", 0],
      ["b", 1],
    ] as const) {
      const added = await owner.mutate("servers.add", { kind: "tls", name: `${name}-${tag}`, host: node(i).address, ...node(i).clientTls });
      expect(added.data).toMatchObject({ state: "reachable" });
      serverIds[name] = added.data.id;
    }
    expect((await owner.mutate("cluster.create", { serverId: serverIds.a })).status).toBe(200);
    expect((await owner.mutate("cluster.join", { serverId: serverIds.b, role: "worker" })).status).toBe(200);
    for (const name of ["a", "b"])
      nodeIds[name] = (await deps.db.server.findUniqueOrThrow({ where: { id: serverIds[name] } })).swarmNodeId!;

    const { serviceId, projectId } = await seedService(deps.db, team.teamId, { env: { GREETING: "pinned" } });
    serviceIds.push(serviceId);
    pinned = serviceId;
    await deps.db.volume.create({ data: { projectId, serviceId, name: `data-${tag}`, mountPath: "/data" } });
    await deps.db.service.update({ where: { id: serviceId }, data: { replicas: 2 } });
    expect(await setServicePlacement(deps, team.actor, serviceId, { placement: "cluster", constraints: [] }).catch(fieldErrors)).toEqual({
      placement: expect.stringMatching(/runs as one replica on the cluster/),
    });
    await deps.db.service.update({ where: { id: serviceId }, data: { replicas: 1 } });

    // A service that ran here with a volume: its data is on this server, a node would start empty.
    const ranHere = await seedService(deps.db, team.teamId);
    serviceIds.push(ranHere.serviceId);
    await deps.db.volume.create({
      data: { projectId: ranHere.projectId, serviceId: ranHere.serviceId, name: `kept-${tag}`, mountPath: "/data" },
    });
    await deps.db.deployment.create({
      data: { serviceId: ranHere.serviceId, image: TEST_IMAGE, status: "succeeded", finishedAt: new Date() },
    });
    expect(
      await setServicePlacement(deps, team.actor, ranHere.serviceId, { placement: "cluster", constraints: [] }).catch(fieldErrors),
    ).toEqual({ placement: expect.stringMatching(/has run on this server: its volumes hold its data here/) });
  }, 180_000);

  it("a service with a volume is pinned to one node: its volume is made there and its data survives a redeploy on that node", async () => {
    await setServicePlacement(deps, team.actor, pinned, { placement: "cluster", constraints: ["node.role==worker"] });
    const first = await deploy(pinned);
    expect({ status: first.status, error: first.error }).toEqual({ status: "succeeded", error: null });
    expect((await deps.db.service.findUniqueOrThrow({ where: { id: pinned } })).pinnedNodeId).toBe(nodeIds.b);
    expect((await getService(deps, team.actor, pinned)).placement.pinnedTo).toEqual({ nodeId: nodeIds.b, serverName: `b-${tag}` });
    expect((await running(pinned)).map((t) => t.serverName)).toEqual([`b-${tag}`]);
    // The volume, named as on a single server and labelled by Berth, exists on b only.
    const { projectId } = await deps.db.service.findUniqueOrThrow({ where: { id: pinned } });
    const volumeName = `berth-${projectId}-data-${tag}`;
    const volume = JSON.parse(await engineCall(node(1).socketPath, "GET", `/volumes/${volumeName}`)) as { Labels: Record<string, string> };
    expect(volume.Labels).toMatchObject({
      "io.berth.managed-by": "berth",
      "io.berth.project": projectId,
      "io.berth.volume": `data-${tag}`,
    });
    await expect(engineCall(node(0).socketPath, "GET", `/volumes/${volumeName}`)).rejects.toThrow(/404/);

    await sh(node(1), pinned, "echo kept-across-releases > /data/proof");
    const again = await deploy(pinned);
    expect({ status: again.status, error: again.error }).toEqual({ status: "succeeded", error: null });
    const tasks = await running(pinned);
    expect(tasks.map((t) => [t.serverName, t.deploymentId])).toEqual([[`b-${tag}`, again.id]]);
    expect(await sh(node(1), pinned, "cat /data/proof")).toBe("kept-across-releases\n");
  }, 600_000);

  it("stop scales it to 0 (desired state stopped), start brings the release's replica back on its node with its data; both audited", async () => {
    await stopService(deps, team.actor, pinned);
    expect((await deps.db.service.findUniqueOrThrow({ where: { id: pinned } })).desiredState).toBe("stopped");
    await waitFor("no running task", async () => (await running(pinned)).length === 0, 60_000);
    await startService(deps, team.actor, pinned);
    expect((await deps.db.service.findUniqueOrThrow({ where: { id: pinned } })).desiredState).toBe("running");
    await waitFor("one running task again", async () => (await running(pinned)).length === 1, 120_000);
    expect((await running(pinned)).map((t) => t.serverName)).toEqual([`b-${tag}`]);
    expect(await sh(node(1), pinned, "cat /data/proof")).toBe("kept-across-releases\n");
    const audit = await deps.db.auditEvent.findMany({ where: { targetId: pinned, action: { in: ["service.stop", "service.start"] } } });
    expect(audit.map((a) => a.action).sort()).toEqual(["service.start", "service.stop"]);
  }, 300_000);

  it("the node holding the volume can be neither drained nor removed: refused with the service's name", async () => {
    const { name } = await deps.db.service.findUniqueOrThrow({ where: { id: pinned } });
    const removal = await owner.mutate("servers.remove", { serverId: serverIds.b });
    expect(removal.status).toBe(409);
    expect(removal.error?.message).toContain(`b-${tag} holds the volume of ${name}`);
    const drain = await owner.mutate("cluster.setAvailability", { serverId: serverIds.b, availability: "drain" });
    expect(drain.status).toBe(409);
    expect(drain.error?.message).toContain(name);
    expect(await deps.db.server.count({ where: { id: serverIds.b } })).toBe(1);
    expect((await running(pinned)).map((t) => t.serverName)).toEqual([`b-${tag}`]);
  }, 120_000);

  it("a PostgreSQL database on the cluster runs pinned, answers psql by its name, and keeps its rows across a redeploy; its backups are refused at the field", async () => {
    const project = await deps.db.project.create({ data: { teamId: team.teamId, name: `db-${tag}` } });
    const db = await createDatabase(
      deps,
      team.actor,
      createDatabaseInput.parse({ projectId: project.id, name: "pg", engine: "postgresql", image: PG_IMAGE, deploy: false }),
    );
    serviceIds.push(db.id);
    await setServicePlacement(deps, team.actor, db.id, { placement: "cluster", constraints: [] });
    const first = await deploy(db.id);
    expect({ status: first.status, error: first.error }).toEqual({ status: "succeeded", error: null });
    // The node with the fewest pinned services: the manager (b holds the other one).
    expect((await deps.db.service.findUniqueOrThrow({ where: { id: db.id } })).pinnedNodeId).toBe(nodeIds.a);
    const psql = (sql: string) =>
      sh(
        node(0),
        db.id,
        `PGPASSWORD="$POSTGRES_PASSWORD" psql -h pg -U "$POSTGRES_USER" -d "$POSTGRES_DB" -At -v ON_ERROR_STOP=1 -c "${sql}"`,
      );
    await psql("CREATE TABLE notes (body text); INSERT INTO notes VALUES ('survives a redeploy')");

    const again = await deploy(db.id);
    expect({ status: again.status, error: again.error }).toEqual({ status: "succeeded", error: null });
    expect((await running(db.id)).map((t) => [t.serverName, t.deploymentId])).toEqual([[`a-${tag}`, again.id]]);
    expect(await psql("SELECT body FROM notes")).toBe("survives a redeploy\n");

    expect(
      await savePolicy(deps, team.actor, db.id, { volume: "", cron: "0 3 * * *", keepLast: 3, keepDays: null }).catch(fieldErrors),
    ).toEqual({ cron: expect.stringMatching(/Backups and restores of a service on the cluster are not supported yet/) });
  }, 600_000);

  it("a release whose node stops mid-deploy ends failed with that reason once the manager sees the node down, before its deadline", async () => {
    // Short stage deadlines bound the release even if Swarm said nothing; the node's watch ends it first.
    await deps.db.service.update({ where: { id: pinned }, data: { startTimeoutS: 30, healthTimeoutS: 30 } });
    const live = (await running(pinned)).map((t) => t.deploymentId);
    expect(live).toHaveLength(1);
    const { deploymentId } = await enqueueDeployment(deps, team.actor, pinned);
    // The update has begun once a task of the new release exists.
    await waitFor(
      "the release's first task",
      async () => (await node(0).services.swarmServiceTasks(pinned)).some((t) => t.deploymentId === deploymentId),
      120_000,
    );
    await node(1).stopDockerd();
    const done = await finishedDeployment(deps, deploymentId, 300_000);
    expect(done.status).toBe("failed");
    // The watch's reason, not the deadline's ("did not complete within 60 s").
    expect(done.error).toMatch(
      new RegExp(
        `b-${tag}, the node its volume lives on, is (down|disconnected): the service runs only there \\(the release was stopped; Swarm goes back to the previous release, if any, once the node is back\\)`,
      ),
    );
    // Back: Swarm completes the rollback, and the previous release runs on that node again.
    await node(1).startDockerd();
    await vi.waitFor(async () => expect((await running(pinned)).map((t) => t.deploymentId)).toEqual(live), {
      timeout: 120_000,
      interval: 1_000,
    });
  }, 420_000);
});
