import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { Agent } from "node:https";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildNetworkName, buildReleaseImageRef } from "@berth/engine";
import { proxyGet, startProxiedWorker, type TestCaddy } from "../../test/caddy.ts";
import { finishedDeployment } from "../../test/deploy-harness.ts";
import { startEngineNodes, type EngineNode, type EngineNodes } from "../../test/engine-nodes.ts";
import { removeClusterFixture } from "../../test/cluster-cleanup.ts";
import { seedService, seedUser, testDeps, waitFor } from "../../test/harness.ts";
import { buildGreetingImage } from "../../test/greeting-image.ts";
import { startHttp, type Client } from "../../test/http-harness.ts";
import { instanceOwnerAndMember } from "../../test/instance-clients.ts";
import { REMOTE_BACKUP } from "../backups/backup-placement.ts";
import { savePolicy } from "../backups/policy.ts";
import { volumeTarget } from "../backups/volume-target.ts";
import { setServicePlacement } from "../cluster/service-placement.ts";
import { enqueueDeployment } from "../deployments/deployments.ts";
import { addDomain } from "../domains/domains.ts";
import { readRuntimeLogs } from "../services/runtime-logs.ts";
import { deleteService, startService, stopService } from "../services/services.ts";
import { MetricsBus } from "../metrics/bus.ts";
import { MetricsSampler } from "../metrics/sampler.ts";
import { getTeamOverview } from "../overview/overview.ts";
import { Reconciler } from "../reconcile/reconciler.ts";
import { getProject } from "../projects/projects.ts";
import { type Actor, loadProject, requireTeamRole } from "../teams/access.ts";
import { openTerminal } from "../terminal/open-terminal.ts";

/**
 * Standalone remote servers (issue 15 item 5) on a real extra Docker Engine reached over TCP+TLS
 * (test/engine-nodes.ts): a service placed there is released through that engine (its image,
 * built on this host only, copied over the engine API), published on the server's address, and
 * routed by the host's edge proxy (the test's own Caddy) to `<server>:<port>`; a redeploy under
 * load costs no request; logs and live metrics come from the remote container; another team sees nothing; an
 * unreachable server fails the deploy while the previous release serves; retention prunes its
 * images there; an image rebuilt on the host under its tag is copied again; the reconciler keeps
 * it there; delete removes it.
 */
const deps = testDeps();
const tag = randomUUID().slice(0, 8);
/** berth-test/hello answering $GREETING, saying so in its log, and keeping Berth's SIGTERM contract (test/greeting-image.ts). */
const APP_IMAGE = `berth-test/standalone:${tag}`;

let http: { server: Server; base: string };
let engines: EngineNodes;
let node: EngineNode;
let stack: Awaited<ReturnType<typeof startProxiedWorker>>;
let caddy: TestCaddy;
let owner: Client;
let ca: string;
let serverId: string;
const serviceIds: string[] = [];
let admin: Actor;
let teamId: string;
let serviceId: string;
let projectId: string;
const hostname = `remote-${tag}.localhost`;

beforeAll(async () => {
  await buildGreetingImage(deps, APP_IMAGE, 1);
  [engines, http, stack] = await Promise.all([
    startEngineNodes(1),
    startHttp(deps),
    startProxiedWorker(deps, { watchMs: 500, concurrency: 1 }),
  ]);
  node = engines.nodes[0]!;
  caddy = stack.caddy;
  ({ owner } = await instanceOwnerAndMember(deps, http.base, tag));
  const added = await owner.mutate("servers.add", { kind: "tls", name: `remote-${tag}`, host: node.address, ...node.clientTls });
  expect(added.data).toMatchObject({ state: "reachable" });
  serverId = added.data.id;
  ca = await caddy.admin.internalRootPem();
  ({ actor: admin, teamId } = await seedUser(deps.db, "admin"));
  ({ serviceId, projectId } = await seedService(deps.db, teamId, { image: APP_IMAGE, env: { GREETING: "one" } }));
  serviceIds.push(serviceId);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  for (const id of serviceIds) await node?.engine.removeService(id).catch(() => undefined);
  await removeClusterFixture(deps, { tag, serviceIds, http, engines, images: [APP_IMAGE] });
  await deps.db.$disconnect();
});

/** The project's networks on the remote server. */
async function remoteNetworks(): Promise<string[]> {
  const all = await new Docker({ socketPath: node.socketPath }).listNetworks();
  return all.map((n) => n.Name).filter((name) => name === buildNetworkName("project", projectId));
}

async function deploy(actor: Actor, id: string, greeting: string) {
  const { count } = await deps.db.envVar.updateMany({
    where: { serviceId: id, name: "GREETING" },
    data: { value: deps.box.seal(greeting) },
  });
  expect(count).toBe(1);
  const { deploymentId } = await enqueueDeployment(deps, actor, id);
  return finishedDeployment(deps, deploymentId, 240_000);
}

async function served(greeting: string) {
  return waitFor(
    `the route to serve ${greeting}`,
    async () => {
      const res = await proxyGet(caddy, { hostname, ca }).catch(() => null);
      return res?.status === 200 && res.body.includes(`<h1>${greeting}</h1>`) ? res : null;
    },
    30_000,
  );
}

describe("a service on a standalone remote server", () => {
  it("only its team's admin places it, on an existing server that is no cluster node, answers and is not Berth's own engine; each refusal at its field", async () => {
    const { actor: member } = await seedUser(deps.db, "member", teamId);
    await expect(setServicePlacement(deps, member, serviceId, { placement: "server", serverId })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const { actor: otherAdmin } = await seedUser(deps.db, "admin");
    await expect(setServicePlacement(deps, otherAdmin, serviceId, { placement: "server", serverId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(setServicePlacement(deps, admin, serviceId, { placement: "server", serverId: randomUUID() })).rejects.toMatchObject({
      code: "INVALID",
      fieldErrors: { serverId: expect.stringMatching(/No such server/) },
    });
    // A node of the cluster (a row only: no swarm is formed here) is refused too.
    const nodeRow = await deps.db.server.create({
      data: { name: `node-${tag}`, kind: "tls", host: "10.255.0.1", swarmNodeId: `n${tag}`, swarmRole: "worker" },
    });
    await expect(setServicePlacement(deps, admin, serviceId, { placement: "server", serverId: nodeRow.id })).rejects.toMatchObject({
      fieldErrors: { serverId: expect.stringMatching(/node of the cluster/) },
    });
    // A server that does not answer cannot be told from Berth's own engine: refused until it does.
    const silent = await deps.db.server.create({ data: { name: `silent-${tag}`, kind: "tls", host: "127.0.0.1", port: 1 } });
    await expect(setServicePlacement(deps, admin, serviceId, { placement: "server", serverId: silent.id })).rejects.toMatchObject({
      fieldErrors: { serverId: expect.stringMatching(new RegExp(`^silent-${tag} does not answer \\(.+\\): check it on the Servers page`)) },
    });
    // Berth's own engine reached over TLS (here Berth's engine is the node's: same engine ID) would
    // run containers the reconciler keeps to Berth's own server's services: refused.
    await expect(
      setServicePlacement({ ...deps, engine: node.engine }, admin, serviceId, { placement: "server", serverId }),
    ).rejects.toMatchObject({
      fieldErrors: {
        serverId: `remote-${tag} is Berth's own Docker Engine, reached over TLS: place the service on Berth's own server instead`,
      },
    });
    expect((await deps.db.service.findUniqueOrThrow({ where: { id: serviceId } })).serverId).toBeNull();
    await expect(setServicePlacement(deps, admin, serviceId, { placement: "server", serverId })).resolves.toMatchObject({ serverId });
    await addDomain(deps, admin, { serviceId, hostname });
  });

  it("deploys through the server's engine (the image copied there) and the host's proxy reaches it", async () => {
    const done = await deploy(admin, serviceId, "one");
    expect({ status: done.status, error: done.error }).toEqual({ status: "succeeded", error: null });
    const remote = await node.engine.listManaged({ serviceId });
    expect(remote.filter((c) => c.state === "running")).toHaveLength(1);
    // Its project's network is made on that server (names resolve among its services there).
    expect(await remoteNetworks()).toEqual([buildNetworkName("project", projectId)]);
    expect(await deps.engine.listManaged({ serviceId })).toEqual([]);
    expect(await node.engine.imageId(APP_IMAGE)).toBe(await deps.engine.imageId(APP_IMAGE));
    const log = await deps.db.buildLogLine.findMany({ where: { deploymentId: done.id }, orderBy: { seq: "asc" } });
    expect(log.map((l) => l.text).join("\n")).toMatch(new RegExp(`Copying ${APP_IMAGE} from Berth's host to remote-${tag}`));
    const res = await served("one");
    expect(res.body).toContain("<h1>one</h1>");
    // The route dials the server's address, not loopback.
    expect(JSON.stringify(await caddy.admin.config())).toContain(`${node.address}:`);
    // The overview and the project page read its state from that server's engine (the host has no container of it).
    const overview = await getTeamOverview(deps, { id: teamId, role: await requireTeamRole(deps.db, admin, teamId, "viewer") });
    expect(overview.services.find((s) => s.id === serviceId)?.status).toBe("running");
    const project = await getProject(deps, (await loadProject(deps.db, admin, projectId, "viewer")).project);
    expect(project.services.find((s) => s.id === serviceId)?.status).toBe("running");
  }, 300_000);

  it("its logs come from the remote container; another team reads nothing", async () => {
    const logs = await waitFor(
      "the remote container's log line",
      async () => {
        const read = await readRuntimeLogs(deps, admin, { serviceId, tail: 50 });
        return read.lines.some((l) => l.text.includes("serving one")) ? read : null;
      },
      30_000,
    );
    expect(logs.running).toBe(true);
    const { actor: stranger } = await seedUser(deps.db, "owner");
    await expect(readRuntimeLogs(deps, stranger, { serviceId, tail: 50 })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("its terminal runs in the remote container; backups of its data are refused at their field", async () => {
    const [remote] = (await node.engine.listManaged({ serviceId })).filter((c) => c.state === "running");
    const opened = await openTerminal(deps, admin, { serviceId, cols: 80, rows: 24 });
    try {
      expect(opened.containerId).toBe(remote!.containerId);
      let out = "";
      opened.session.stdout.on("data", (b: Buffer) => (out += b.toString()));
      opened.session.write("echo berth-$((6*7)) $(hostname)\n");
      // A container's hostname is its id's first 12 characters: the remote one's.
      await waitFor("the command's output", async () => out.includes(`berth-42 ${remote!.containerId.slice(0, 12)}`), 15_000);
    } finally {
      opened.session.close();
    }
    const volume = await deps.db.volume.create({ data: { projectId, serviceId, name: `data-${tag}`, mountPath: "/data" } });
    try {
      await expect(volumeTarget(deps, serviceId, volume.name)).rejects.toMatchObject({
        fieldErrors: { volume: REMOTE_BACKUP },
      });
      await expect(
        savePolicy(deps, admin, serviceId, { volume: volume.name, cron: "0 3 * * *", keepLast: 3, keepDays: null }),
      ).rejects.toMatchObject({ fieldErrors: { cron: REMOTE_BACKUP } });
    } finally {
      await deps.db.volume.delete({ where: { id: volume.id } });
    }
  }, 60_000);

  it("its live metrics are sampled through the server's engine, for its team", async () => {
    const bus = new MetricsBus();
    const points: number[] = [];
    bus.onService((e) => {
      if (e.serviceId !== serviceId) return;
      expect(e.teamId).toBe(teamId);
      points.push(e.point.memoryBytes);
    });
    const sampler = new MetricsSampler(deps, bus, { tickMs: 250, persistEveryMs: 60_000 });
    sampler.start();
    try {
      await waitFor("live points from the remote container", async () => points.filter((m) => m > 0).length >= 2, 30_000);
    } finally {
      await sampler.stop();
    }
  }, 60_000);

  it("a redeploy under load keeps serving: no failed request, then only the new release answers", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const outcomes = { ok: 0, failed: [] as string[] };
    let running = true;
    const loop = async () => {
      while (running) {
        const res = await proxyGet(caddy, { hostname, ca, agent }).catch((err: Error) => ({ status: 0, body: err.message }));
        if (res.status === 200) outcomes.ok++;
        else outcomes.failed.push(`${res.status} ${res.body.slice(0, 80)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const clients = [loop(), loop()];
    const done = await deploy(admin, serviceId, "two");
    await served("two");
    running = false;
    await Promise.all(clients);
    agent.destroy();
    expect({ status: done.status, error: done.error }).toEqual({ status: "succeeded", error: null });
    expect(outcomes.failed).toEqual([]);
    expect(outcomes.ok).toBeGreaterThan(10);
    // The old release is retired after the new one is recorded live.
    await waitFor("the old release to be retired", async () => (await node.engine.listManaged({ serviceId })).length === 1);
    const running2 = (await node.engine.listManaged({ serviceId })).filter((c) => c.state === "running");
    expect(running2.map((c) => c.deploymentId)).toEqual([done.id]);
  }, 300_000);

  it("a server that does not answer fails the deploy with the reason; the previous release keeps serving", async () => {
    const row = await deps.db.server.findUniqueOrThrow({ where: { id: serverId } });
    // The same engine at a port where nothing listens: the server as Berth sees it is gone.
    await deps.db.server.update({ where: { id: serverId }, data: { port: 1 } });
    try {
      const done = await deploy(admin, serviceId, "three");
      expect(done.status).toBe("failed");
      expect(done.error).toMatch(new RegExp(`server remote-${tag} does not answer`));
    } finally {
      await deps.db.server.update({ where: { id: serverId }, data: { port: row.port } });
    }
    expect((await proxyGet(caddy, { hostname, ca })).body).toContain("<h1>two</h1>");
  }, 300_000);

  it("stop and start go through the server's engine", async () => {
    await stopService(deps, admin, serviceId);
    expect((await node.engine.listManaged({ serviceId })).map((c) => c.state)).toEqual(["exited"]);
    await startService(deps, admin, serviceId);
    expect((await node.engine.listManaged({ serviceId })).map((c) => c.state)).toEqual(["running"]);
    await served("two");
  }, 120_000);

  it("image retention prunes the server's copies too: it keeps the last N releases' images there", async () => {
    const keep = deps.env.BERTH_RETAIN_RELEASES;
    deps.env.BERTH_RETAIN_RELEASES = 2;
    const builds: string[] = [];
    const images = [`${APP_IMAGE}-d0`, `${APP_IMAGE}-d2`];
    const releaseRepository = buildReleaseImageRef(serviceId, "x").repository;
    const remote = new Docker({ socketPath: node.socketPath });
    const held = async () => remote.listImages({ filters: { reference: [releaseRepository] } });
    try {
      // Two new images, each copied to the server by its deploy (the server cannot pull them).
      for (const [i, image] of images.entries()) {
        await buildGreetingImage(deps, image, i * 2);
        builds.push((await deps.engine.imageId(image))!);
        await deps.db.service.update({ where: { id: serviceId }, data: { image } });
        expect((await deploy(admin, serviceId, "two")).status).toBe("succeeded");
      }
      // Four releases went live on the server (the first two of the test's first image): the
      // last two are kept there, the first image's release tags are gone. (Retention follows the
      // status: the budget stays set until it has run.)
      await waitFor("the server's release images to be pruned", async () => (await held()).length === 2, 15_000);
    } finally {
      deps.env.BERTH_RETAIN_RELEASES = keep;
      for (const image of images)
        await new Docker()
          .getImage(image)
          .remove()
          .catch(() => undefined);
    }
    expect((await held()).map((i) => i.Id).sort()).toEqual([...builds].sort());
    const live = (await node.engine.listManaged({ serviceId })).find((c) => c.state === "running")!;
    expect((await held()).flatMap((i) => i.RepoTags ?? [])).toContain(buildReleaseImageRef(serviceId, live.deploymentId).ref);
  }, 300_000);

  it("an image only Berth's host has, rebuilt there under the same tag, is copied to the server again", async () => {
    const image = `${APP_IMAGE}-rebuilt`;
    const builds: string[] = [];
    try {
      for (const drainS of [0, 2]) {
        await buildGreetingImage(deps, image, drainS);
        builds.push((await deps.engine.imageId(image))!);
        await deps.db.service.update({ where: { id: serviceId }, data: { image } });
        const done = await deploy(admin, serviceId, "two");
        expect(done.status).toBe("succeeded");
        // The server could not pull it; its copy under the tag is the host's latest build, and the release runs it.
        expect(await node.engine.imageId(image)).toBe(builds.at(-1));
        expect(await node.engine.imageId(buildReleaseImageRef(serviceId, done.id).ref)).toBe(builds.at(-1));
      }
      expect(new Set(builds).size).toBe(2);
    } finally {
      for (const id of builds)
        await new Docker()
          .getImage(id)
          .remove({ force: true })
          .catch(() => undefined);
    }
  }, 300_000);

  it("the reconciler keeps it on the server: its container removed there comes back, published for the proxy; a stray release there goes", async () => {
    const reconciler = new Reconciler(deps, { intervalMs: 0 });
    // The last deploy's old release is retired after its status turned succeeded.
    const [live] = await waitFor("one container", async () => {
      const all = await node.engine.listManaged({ serviceId });
      return all.length === 1 ? all : null;
    });
    await node.engine.removeContainer(live!.containerId);
    const pass = await reconciler.pass("test");
    expect(pass?.actions).toContainEqual({ kind: "recreate", serviceId, outcome: "done" });
    const back = await node.engine.listManaged({ serviceId });
    expect(back.map((c) => [c.state, c.deploymentId])).toEqual([["running", live!.deploymentId]]);
    // Published on the server's address as its deployment did: the host's proxy reaches it again.
    await served("two");
    expect(await deps.engine.listManaged({ serviceId })).toEqual([]);
    // A container of an older release left on the server (a retirement that failed) is removed.
    const stray = await node.engine.runRelease({
      owner: { teamId, projectId, serviceId },
      deploymentId: randomUUID(),
      serviceName: "stray",
      image: APP_IMAGE,
      containerPort: 8080,
      env: {},
    });
    const again = await reconciler.pass("test");
    expect(again?.actions).toContainEqual({ kind: "remove", serviceId, outcome: "done" });
    expect((await node.engine.listManaged({ serviceId })).map((c) => c.containerId)).toEqual([back[0]!.containerId]);
    expect(stray.containerId).not.toBe(back[0]!.containerId);
  }, 120_000);

  it("the server cannot be removed while it holds the service; deleting the service removes its container there", async () => {
    const refused = await owner.mutate("servers.remove", { serverId });
    expect(refused.status).toBe(409);
    expect(refused.error?.message).toMatch(/still runs 1 service/);
    // While the server does not answer, the delete is refused before anything changed: a
    // deployment in flight is not cancelled (it was, before the delete then failed).
    const row = await deps.db.server.findUniqueOrThrow({ where: { id: serverId } });
    const inFlight = await deps.db.deployment.create({ data: { serviceId, image: APP_IMAGE, status: "releasing", config: {} } });
    await deps.db.server.update({ where: { id: serverId }, data: { port: 1 } });
    try {
      await expect(deleteService(deps, admin, serviceId)).rejects.toMatchObject({
        code: "ENGINE_UNAVAILABLE",
        message: expect.stringMatching(new RegExp(`server remote-${tag} does not answer`)),
      });
      expect(await deps.db.deployment.findUniqueOrThrow({ where: { id: inFlight.id } })).toMatchObject({
        status: "releasing",
        cancelRequestedAt: null,
      });
    } finally {
      await deps.db.server.update({ where: { id: serverId }, data: { port: row.port } });
      await deps.db.deployment.update({ where: { id: inFlight.id }, data: { status: "failed", finishedAt: new Date() } });
    }
    await deleteService(deps, admin, serviceId);
    expect(await node.engine.listManaged({ serviceId })).toEqual([]);
    expect(await remoteNetworks()).toEqual([]);
    const removed = await owner.mutate("servers.remove", { serverId });
    expect(removed.status).toBe(200);
  }, 120_000);
});
