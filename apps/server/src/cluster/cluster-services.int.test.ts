import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngineNodes, type EngineNode, type EngineNodes } from "../../test/engine-nodes.ts";
import { removeClusterFixture } from "../../test/cluster-cleanup.ts";
import { allowLocalSources, createGitService, finishedDeployment } from "../../test/deploy-harness.ts";
import { helloDockerfile, startGitFixture } from "../../test/git-fixture.ts";
import { engineCall } from "../../test/private-dockerd.ts";
import { EDGE_TEST_IMAGE, seedService, seedUser, testDeps, TEST_IMAGE, waitFor } from "../../test/harness.ts";
import type { Client } from "../../test/http-harness.ts";
import { startHttp } from "../../test/http-harness.ts";
import { instanceOwnerAndMember } from "../../test/instance-clients.ts";
import { enqueueDeployment } from "../deployments/deployments.ts";
import { DeploymentWorker } from "../deployments/worker.ts";
import { DomainError } from "../errors.ts";
import { deleteProject } from "../projects/delete-project.ts";
import { deleteService } from "../services/services.ts";
import { getTeamOverview } from "../overview/overview.ts";
import { type Actor, requireTeamRole } from "../teams/access.ts";
import { setServicePlacement } from "./service-placement.ts";
import { listServiceTasks } from "./service-tasks.ts";

/**
 * Services placed on the cluster, on a real three-node Docker Swarm made of the harness's
 * engines (test/engine-nodes.ts; the host's shared engine never enters swarm mode): replicas
 * spread over nodes, rolling updates that end succeeded, a failing update rolled back with the
 * previous release still running, a placement no node satisfies failing within its deadline,
 * and another team's cluster service invisible.
 */
const deps = testDeps();
/** Builder-cache prunes asked of Berth's (real) engine: retention after a deployment that built. */
let cachePrunes = 0;
const pruneBuildCache = deps.engine.pruneBuildCache.bind(deps.engine);
deps.engine.pruneBuildCache = (keepBytes) => {
  cachePrunes += 1;
  return pruneBuildCache(keepBytes);
};
const tag = randomUUID().slice(0, 8);
const REGISTRY_IMAGE = "berth-test/registry:2";
const worker = new DeploymentWorker(deps, { concurrency: 1, pollMs: 200 });
let http: { server: Server; base: string };
let engines: EngineNodes;
let owner: Client;
let teamA: { actor: Actor; teamId: string };
let teamB: { actor: Actor; teamId: string };
const serverIds: Record<string, string> = {};
const serviceIds: string[] = [];
/** The cluster service of team A every step below works on. */
let web: string;
/** The git service on the cluster (its own project). */
let built: string;

beforeAll(async () => {
  [engines, http] = await Promise.all([startEngineNodes(3), startHttp(deps)]);
  ({ owner } = await instanceOwnerAndMember(deps, http.base, tag));
  await Promise.all(engines.nodes.map((n) => n.loadImages([TEST_IMAGE, EDGE_TEST_IMAGE])));
  [teamA, teamB] = [await seedUser(deps.db), await seedUser(deps.db)];
  worker.start();
});

afterAll(async () => {
  await worker.stop();
  await removeClusterFixture(deps, { tag, serviceIds, http, engines });
  await deps.db.$disconnect();
});

const node = (i: number): EngineNode => engines.nodes[i]!;
const tls = (name: string, i: number) => ({ kind: "tls", name: `${name}-${tag}`, host: node(i).address, ...node(i).clientTls });

async function newService(teamId: string, replicas = 1): Promise<string> {
  const { serviceId } = await seedService(deps.db, teamId, { env: { GREETING: "on the cluster" } });
  await deps.db.service.update({ where: { id: serviceId }, data: { replicas } });
  serviceIds.push(serviceId);
  return serviceId;
}

async function deploy(actor: Actor, serviceId: string) {
  const { deploymentId } = await enqueueDeployment(deps, actor, serviceId);
  return finishedDeployment(deps, deploymentId, 240_000);
}

async function running(serviceId: string) {
  const view = await listServiceTasks(deps, teamA.actor, serviceId);
  expect(view.error).toBeNull();
  return view.tasks.filter((t) => t.desiredState === "running" && t.state === "running");
}

const fieldErrors = (err: unknown) => (err instanceof DomainError ? err.fieldErrors : { unexpected: String(err) });

describe("services on the cluster", () => {
  it("refuses the cluster while cluster mode is off, at the placement field", async () => {
    web = await newService(teamA.teamId, 3);
    const refused = await setServicePlacement(deps, teamA.actor, web, { placement: "cluster", constraints: [] }).catch(fieldErrors);
    expect(refused).toEqual({ placement: expect.stringMatching(/Cluster mode is off/) });
  });

  it("forms a cluster of three nodes; what the cluster cannot run yet is refused at its field", async () => {
    for (const [name, i] of [
      ["a", 0],
      ["b", 1],
      ["c", 2],
    ] as const) {
      const added = await owner.mutate("servers.add", tls(name, i));
      expect(added.data).toMatchObject({ state: "reachable" });
      serverIds[name] = added.data.id;
    }
    expect((await owner.mutate("cluster.create", { serverId: serverIds.a })).status).toBe(200);
    for (const name of ["b", "c"])
      expect((await owner.mutate("cluster.join", { serverId: serverIds[name], role: "worker" })).status).toBe(200);
    expect((await owner.mutate("cluster.setLabels", { serverId: serverIds.c, labels: [{ key: "zone", value: "z1" }] })).status).toBe(200);

    const withVolume = await newService(teamA.teamId);
    const svc = await deps.db.service.findUniqueOrThrow({ where: { id: withVolume } });
    await deps.db.volume.create({
      data: { projectId: svc.projectId, serviceId: withVolume, name: `data-${tag}`, mountPath: "/data", hostPath: "/srv/data" },
    });
    expect(await setServicePlacement(deps, teamA.actor, withVolume, { placement: "cluster", constraints: [] }).catch(fieldErrors)).toEqual({
      placement: expect.stringMatching(/A host-path mount cannot run on the cluster/),
    });
  });

  it("deploys 3 replicas as a Swarm service spread over the nodes; the tasks say where they run", async () => {
    expect(await setServicePlacement(deps, teamA.actor, web, { placement: "cluster", constraints: [] })).toMatchObject({
      placement: "cluster",
    });
    const done = await deploy(teamA.actor, web);
    expect({ status: done.status, error: done.error }).toEqual({ status: "succeeded", error: null });
    expect(await deps.db.release.count({ where: { serviceId: web } })).toBe(1);
    const tasks = await running(web);
    expect(tasks).toHaveLength(3);
    expect(tasks.every((t) => t.deploymentId === done.id)).toBe(true);
    const servers = new Set(tasks.map((t) => t.serverName));
    expect(servers.size).toBeGreaterThan(1);
    for (const s of servers) expect(s).toMatch(new RegExp(`^[abc]-${tag}$`));
    // Nothing of it runs on Berth's own engine.
    expect((await deps.engine.listManaged()).filter((c) => c.owner.serviceId === web)).toEqual([]);
    // Its status comes from its tasks: running, not "stopped unexpectedly", and not among the services that are down.
    const overview = await getTeamOverview(deps, {
      id: teamA.teamId,
      role: await requireTeamRole(deps.db, teamA.actor, teamA.teamId, "viewer"),
    });
    expect(overview.services.find((s) => s.id === web)).toMatchObject({ status: "running", attention: [] });
    expect(overview.down.map((s) => s.id)).not.toContain(web);
  }, 300_000);

  it("a redeploy is a rolling update that ends succeeded with every replica on the new release", async () => {
    const done = await deploy(teamA.actor, web);
    expect({ status: done.status, error: done.error }).toEqual({ status: "succeeded", error: null });
    const tasks = await running(web);
    expect(tasks.map((t) => t.deploymentId)).toEqual([done.id, done.id, done.id]);
  }, 300_000);

  it("a failing update ends failed with the reason, rolled back: the previous release keeps running", async () => {
    const live = (await running(web))[0]!.deploymentId;
    const stored = await deps.db.service.findUniqueOrThrow({ where: { id: web } });
    await deps.db.service.update({
      where: { id: web },
      data: {
        runtime: {
          ...(stored.runtime as object),
          healthCheck: { type: "command", command: ["false"], intervalS: 1, timeoutS: 1, retries: 1 },
        },
      },
    });
    const done = await deploy(teamA.actor, web);
    expect(done.status).toBe("failed");
    expect(done.error).toMatch(/rolled back/);
    const tasks = await running(web);
    expect(tasks.map((t) => t.deploymentId)).toEqual([live, live, live]);
    await deps.db.service.update({ where: { id: web }, data: { runtime: stored.runtime as object } });
  }, 300_000);

  it("a placement no node satisfies ends failed with that reason, the previous release still running", async () => {
    const live = (await running(web))[0]!.deploymentId;
    await setServicePlacement(deps, teamA.actor, web, { placement: "cluster", constraints: ["node.labels.zone==nowhere"] });
    const done = await deploy(teamA.actor, web);
    expect(done.status).toBe("failed");
    expect(done.error).toMatch(/no node satisfies the service's placement/);
    expect((await running(web)).map((t) => t.deploymentId)).toEqual([live, live, live]);

    // A label a node has: every replica lands on that node.
    await setServicePlacement(deps, teamA.actor, web, { placement: "cluster", constraints: ["node.labels.zone==z1"] });
    const pinned = await deploy(teamA.actor, web);
    expect({ status: pinned.status, error: pinned.error }).toEqual({ status: "succeeded", error: null });
    expect(new Set((await running(web)).map((t) => t.serverName))).toEqual(new Set([`c-${tag}`]));
  }, 300_000);

  it("an image a node does not have ends failed with that reason, and a first release leaves no Swarm service", async () => {
    // Only the manager (a) has this tag; the placement sends every task to c (zone z1).
    const onlyOnA = `berth-test/only-a:${tag}`;
    await engineCall(node(0).socketPath, "POST", `/images/${encodeURIComponent(TEST_IMAGE)}/tag?repo=berth-test/only-a&tag=${tag}`);
    const lacking = await newService(teamA.teamId);
    await deps.db.service.update({ where: { id: lacking }, data: { image: onlyOnA } });
    await setServicePlacement(deps, teamA.actor, lacking, { placement: "cluster", constraints: ["node.labels.zone==z1"] });
    const done = await deploy(teamA.actor, lacking);
    expect(done.status).toBe("failed");
    expect(done.error).toMatch(/a node does not have the image and could not pull it \(.*No such image/);
    expect(await node(0).services.swarmServiceTasks(lacking)).toEqual([]);
  }, 300_000);

  it("a git service on the cluster: built on Berth's engine, shipped through the cluster registry, its replicas run from it on nodes that never had the image", async () => {
    // The registry and its forwarder: Debian's registry (with socat) in place of registry:2 and alpine/socat.
    Object.assign(deps.env, {
      BERTH_REGISTRY_IMAGE: REGISTRY_IMAGE,
      BERTH_REGISTRY_FORWARDER_IMAGE: REGISTRY_IMAGE,
      BERTH_REGISTRY_PORT: 20_000 + Math.floor(Math.random() * 20_000),
    });
    await Promise.all(engines.nodes.map((n) => n.loadImages([REGISTRY_IMAGE])));
    await allowLocalSources(deps, true);
    const fixture = await startGitFixture({ Dockerfile: helloDockerfile("built for the cluster") });
    try {
      const { serviceId } = await createGitService(deps, teamA.actor, teamA.teamId, { url: fixture.url });
      serviceIds.push(serviceId);
      built = serviceId;
      await deps.db.service.update({ where: { id: serviceId }, data: { replicas: 2 } });
      expect(
        await setServicePlacement(deps, teamA.actor, serviceId, { placement: "cluster", constraints: ["node.role==worker"] }),
      ).toMatchObject({
        placement: "cluster",
      });
      const prunesBefore = cachePrunes;
      const done = await deploy(teamA.actor, serviceId);
      expect({ status: done.status, error: done.error }).toEqual({ status: "succeeded", error: null });
      // Retention ran after the cluster release as after any other: the build grew the cache.
      await waitFor("the builder's cache pruned", async () => cachePrunes > prunesBefore, 15_000);
      const tasks = await running(serviceId);
      expect(tasks).toHaveLength(2);
      expect(new Set(tasks.map((t) => t.serverName))).toEqual(new Set([`b-${tag}`, `c-${tag}`]));
      // The nodes ran the build from the registry, by digest (the build exists on Berth's engine only).
      const [swarmService] = JSON.parse(
        await engineCall(
          node(0).socketPath,
          "GET",
          `/services?filters=${encodeURIComponent(JSON.stringify({ label: [`io.berth.service=${serviceId}`] }))}`,
        ),
      ) as Array<{ Spec: { TaskTemplate: { ContainerSpec: { Image: string } } } }>;
      const port = deps.env.BERTH_REGISTRY_PORT!;
      expect(swarmService?.Spec.TaskTemplate.ContainerSpec.Image).toMatch(
        new RegExp(`^127\\.0\\.0\\.1:${port}/berth/${serviceId.toLowerCase()}@sha256:[a-f0-9]{64}$`),
      );
    } finally {
      await fixture.close();
      await allowLocalSources(deps, false);
    }
  }, 300_000);

  it("another team's cluster service is invisible; deleting the service, or its project, removes its Swarm service", async () => {
    await expect(listServiceTasks(deps, teamB.actor, web)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(setServicePlacement(deps, teamB.actor, web, { placement: "server", constraints: [] })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const other = await newService(teamB.teamId);
    expect(await listServiceTasks(deps, teamB.actor, other)).toMatchObject({ placement: "server", tasks: [] });

    await deleteService(deps, teamA.actor, web);
    const services = (await node(0)
      .services.swarmServiceTasks(web)
      .catch((err: unknown) => String(err))) as unknown[];
    expect(services).toEqual([]);

    expect(await running(built)).toHaveLength(2);
    const { project } = await deps.db.service.findUniqueOrThrow({ where: { id: built }, select: { project: true } });
    await deleteProject(deps, teamA.actor, project.id, { confirmName: project.name, deleteVolumes: false });
    expect(await node(0).services.swarmServiceTasks(built)).toEqual([]);
  }, 120_000);
});
