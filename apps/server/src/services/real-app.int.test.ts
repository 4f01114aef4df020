/**
 * Real applications through the product path (use cases + worker, real Postgres and Docker
 * Engine): private project networks, volumes that outlive releases, settings edited after
 * creation and restored by rollback, workers without a port, pulls that fail safely.
 */
import { randomUUID } from "node:crypto";
import { rmSync, symlinkSync } from "node:fs";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DockerEngine } from "@berth/engine";
import { requireTestImage, seedUser, TEST_IMAGE, testDeps } from "../../test/harness.ts";
import { deploymentWorker, finishedDeployment } from "../../test/deploy-harness.ts";
import { enqueueDeployment, rollbackToRelease } from "../deployments/deployments.ts";
import { findLiveDeployment } from "../deployments/live-release.ts";
import { openReleaseConfig } from "../deployments/release-config.ts";
import type { Actor } from "../teams/access.ts";
import { createServiceInput, updateServiceInput } from "./service-input.ts";
import { createService, deleteService, getService, startService, stopService } from "./services.ts";
import { updateService } from "./update-service.ts";

const deps = testDeps();
const worker = deploymentWorker(deps, 2);
const docker = new Docker();
const services: string[] = [];
const strays: string[] = [];

async function newProject(teamId: string, name = `app-${randomUUID().slice(0, 8)}`): Promise<string> {
  return (await deps.db.project.create({ data: { teamId, name } })).id;
}

/** Create through the use case (as the dashboard does) and wait for its first deployment. */
async function deployed(actor: Actor, projectId: string, fields: Record<string, unknown>): Promise<string> {
  const input = createServiceInput.parse({ projectId, image: TEST_IMAGE, containerPort: 8080, deploy: true, ...fields });
  const { id, deploymentId } = await createService(deps, actor, input);
  services.push(id);
  const done = await finishedDeployment(deps, deploymentId!);
  expect(done.error).toBeNull();
  expect(done.status).toBe("succeeded");
  return id;
}

/** A running container of the service's live release (the one before may still be stopping: it is retired after the record). */
async function liveContainer(serviceId: string) {
  const live = await findLiveDeployment(deps.db, serviceId);
  const running = (await deps.engine.listManaged({ serviceId })).filter((c) => c.state === "running" && c.deploymentId === live?.id);
  expect(running.length).toBeGreaterThan(0);
  return running[0]!;
}

/**
 * `get HOST [PORT]` inside berth-test/hello: an HTTP GET with busybox's nc (its static wget
 * crashes in these images), 3 s at most; prints the response.
 */
const GET = `get() { printf 'GET / HTTP/1.0\\r\\nHost: x\\r\\n\\r\\n' | nc -w 3 "$1" "\${2:-8080}"; }; `;

async function sh(containerId: string, script: string) {
  const result = await deps.engine.exec(containerId, { cmd: ["sh", "-c", script], timeoutMs: 15_000 });
  if (result.stderr) console.info(`exec ${script}: ${result.stderr.trim()}`);
  return result;
}

async function settingsOf(serviceId: string, actor: Actor) {
  const s = await getService(deps, actor, serviceId);
  return { serviceId, name: s.name, source: "image", image: s.image, ...s.settings, containerPort: s.containerPort };
}

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  worker.start();
});

afterAll(async () => {
  await worker.stop();
  for (const id of strays)
    await docker
      .getContainer(id)
      .remove({ force: true })
      .catch(() => undefined);
  for (const id of services) await deps.engine.removeService(id).catch(() => undefined);
  await deps.db.$disconnect();
});

describe("private project networks", () => {
  it("services of one project reach each other by name and alias; another project's containers and the default bridge are unreachable, by name or by IP", async () => {
    const a = await seedUser(deps.db);
    const b = await seedUser(deps.db);
    const projectA = await newProject(a.teamId, "Shop A");
    const projectB = await newProject(b.teamId);
    const web = await deployed(a.actor, projectA, { name: "web", env: [{ key: "GREETING", value: "hello from web" }] });
    const api = await deployed(a.actor, projectA, { name: "api", env: [{ key: "GREETING", value: "hello from api" }] });
    const intruder = await deployed(b.actor, projectB, { name: "intruder" });

    const webC = await liveContainer(web);
    const apiC = await liveContainer(api);
    const intruderC = await liveContainer(intruder);
    // By name and by the documented alias, inside project A.
    expect((await sh(webC.containerId, `${GET} get api`)).output).toContain("hello from api");
    expect((await sh(webC.containerId, `${GET} get api.shop-a.internal`)).output).toContain("hello from api");
    const view = await getService(deps, a.actor, api);
    expect(view.internal).toEqual({ name: "api", alias: "api.shop-a.internal", port: 8080 });

    // Never on the default bridge: only the project's network.
    const info = await docker.getContainer(apiC.containerId).inspect();
    const networks = Object.keys(info.NetworkSettings.Networks);
    expect(networks).toEqual([`berth-p-${projectA}`]);
    const apiIp = info.NetworkSettings.Networks[`berth-p-${projectA}`]!.IPAddress;
    expect(apiIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    // The same address answers inside the project...
    expect((await sh(webC.containerId, `${GET} get ${apiIp}`)).output).toContain("hello from api");
    // ...and nothing from project B: not by name, not by IP.
    const byName = await sh(intruderC.containerId, `${GET} get api`);
    expect(byName.output).not.toContain("hello");
    const byIp = await sh(intruderC.containerId, `${GET} get ${apiIp}`);
    expect(byIp.output).not.toContain("hello");

    // A container on Docker's default bridge is not reachable from a project either.
    const bridged = await docker.createContainer({
      Image: TEST_IMAGE,
      Labels: { "io.berth.test": "real-app" },
      HostConfig: { NetworkMode: "bridge" },
    });
    strays.push(bridged.id);
    await bridged.start();
    const bridgeIp = (await bridged.inspect()).NetworkSettings.Networks.bridge!.IPAddress;
    const toBridge = await sh(webC.containerId, `${GET} get ${bridgeIp}`);
    expect(toBridge.output).not.toContain("hello");
    // ...while the host itself reaches it (so the address was right).
    expect((await fetch(`http://${bridgeIp}:8080/`, { signal: AbortSignal.timeout(3000) })).status).toBe(200);
  });
});

describe("volumes", () => {
  it("keep their data across a (stop-first) redeploy, a rollback, stop/start; deleting the service keeps them unless asked", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const projectId = await newProject(teamId);
    const id = await deployed(actor, projectId, { name: "db", kind: "tcp", volumes: [{ name: "data", mountPath: "/data" }] });
    const first = await liveContainer(id);
    expect((await sh(first.containerId, "echo row-1 > /data/table && cat /data/table")).output.trim()).toBe("row-1");

    // Services with a volume default to stop-first: the log says so, the data is there.
    const second = await finishedDeployment(deps, (await enqueueDeployment(deps, actor, id)).deploymentId);
    expect(second.status).toBe("succeeded");
    const lines = await deps.db.buildLogLine.findMany({ where: { deploymentId: second.id }, orderBy: { seq: "asc" } });
    expect(lines.map((l) => l.text).join("\n")).toMatch(/stop-first, 1 volume/);
    const c2 = await liveContainer(id);
    expect(c2.containerId).not.toBe(first.containerId);
    expect((await sh(c2.containerId, "cat /data/table")).output.trim()).toBe("row-1");
    await sh(c2.containerId, "echo row-2 >> /data/table");

    const release1 = await deps.db.release.findFirstOrThrow({ where: { serviceId: id, number: 1 } });
    const rolled = await finishedDeployment(deps, (await rollbackToRelease(deps, actor, release1.id)).deploymentId);
    expect(rolled.status).toBe("succeeded");
    expect((await sh((await liveContainer(id)).containerId, "cat /data/table")).output.trim()).toBe("row-1\nrow-2");

    await stopService(deps, actor, id);
    await startService(deps, actor, id);
    expect((await sh((await liveContainer(id)).containerId, "cat /data/table")).output.trim()).toBe("row-1\nrow-2");

    const volumeName = `berth-${projectId}-data`;
    await deleteService(deps, actor, id);
    expect((await docker.getVolume(volumeName).inspect()).Name).toBe(volumeName);
    const kept = await deps.db.volume.findFirstOrThrow({ where: { projectId, name: "data" } });
    expect(kept.serviceId).toBeNull();

    // A new service attaching the kept volume by name finds the data; deleting it with its volumes removes them.
    const again = await deployed(actor, projectId, { name: "db2", kind: "tcp", volumes: [{ name: "data", mountPath: "/var/lib/data" }] });
    expect((await sh((await liveContainer(again)).containerId, "cat /var/lib/data/table")).output.trim()).toBe("row-1\nrow-2");
    await deleteService(deps, actor, again, { deleteVolumes: true });
    await expect(docker.getVolume(volumeName).inspect()).rejects.toThrow();
    expect(await deps.db.volume.count({ where: { projectId } })).toBe(0);
  });

  it("refuses a volume that another service of the project holds, at its field, changing nothing", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const projectId = await newProject(teamId);
    const first = await createService(
      deps,
      actor,
      createServiceInput.parse({
        projectId,
        name: "one",
        image: TEST_IMAGE,
        containerPort: 8080,
        volumes: [{ name: "shared", mountPath: "/d" }],
      }),
    );
    services.push(first.id);
    const attempt = createService(
      deps,
      actor,
      createServiceInput.parse({
        projectId,
        name: "two",
        image: TEST_IMAGE,
        containerPort: 8080,
        volumes: [{ name: "shared", mountPath: "/d" }],
      }),
    );
    await expect(attempt).rejects.toMatchObject({
      code: "INVALID",
      fieldErrors: { "volumes.0.name": expect.stringMatching(/belongs to the service one/) },
    });
    expect(await deps.db.service.count({ where: { projectId } })).toBe(1);
  });
});

describe("host paths", () => {
  it("are refused unless the instance allows them, and always when they resolve to a forbidden path (checked at save, on the realpath)", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const projectId = await newProject(teamId);
    const link = `/tmp/berth-link-${randomUUID().slice(0, 8)}`;
    symlinkSync("/etc", link);
    const withHostPath = (hostPath: string) =>
      createServiceInput.parse({
        projectId,
        name: `bind-${randomUUID().slice(0, 6)}`,
        image: TEST_IMAGE,
        containerPort: 8080,
        volumes: [{ name: "conf", mountPath: "/conf", hostPath }],
      });
    try {
      await deps.db.instanceSettings.upsert({
        where: { id: 1 },
        create: { id: 1, allowBindMounts: false },
        update: { allowBindMounts: false },
      });
      await expect(createService(deps, actor, withHostPath("/srv"))).rejects.toMatchObject({
        fieldErrors: { "volumes.0.hostPath": expect.stringMatching(/off on this instance/) },
      });
      await deps.db.instanceSettings.update({ where: { id: 1 }, data: { allowBindMounts: true } });
      await expect(createService(deps, actor, withHostPath(link))).rejects.toMatchObject({
        fieldErrors: { "volumes.0.hostPath": expect.stringMatching(/resolves to \/etc/) },
      });
      await expect(createService(deps, actor, withHostPath("/var"))).rejects.toMatchObject({
        fieldErrors: { "volumes.0.hostPath": expect.stringMatching(/\/var contains \/var\//) },
      });
      expect(await deps.db.service.count({ where: { projectId } })).toBe(0);
    } finally {
      rmSync(link, { force: true });
      await deps.db.instanceSettings.update({ where: { id: 1 }, data: { allowBindMounts: false } });
    }
  });
});

describe("editing a service", () => {
  it("saves settings without touching the running release, lists them as pending, deploys them, and a rollback restores the old configuration", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const projectId = await newProject(teamId);
    // Labels (a compose import sets them): the settings form has none, so an edit keeps them.
    const id = await deployed(actor, projectId, { name: "site", labels: { "com.example.team": "web" } });
    const before = await liveContainer(id);

    const edited = updateServiceInput.parse({
      ...(await settingsOf(id, actor)),
      name: "site-renamed",
      containerPort: 9090,
      // The image's ENTRYPOINT is a script: replacing what runs means replacing the entrypoint.
      entrypoint: `sh -c 'mkdir -p /w && echo "edited build" > /w/index.html && exec httpd -f -p 9090 -h /w'`,
      command: "",
      limits: { cpus: 0.5, memoryMb: 64, pidsLimit: 128 },
      healthCheck: { type: "http", path: "/", expectStatus: "200" },
    });
    const saved = await updateService(deps, actor, edited);
    expect(saved.deploymentId).toBeNull();
    expect(saved.changed).toEqual(expect.arrayContaining(["name", "containerPort", "runtime"]));
    expect((await liveContainer(id)).containerId).toBe(before.containerId);
    const pending = await getService(deps, actor, id);
    expect(pending.pendingChanges).toEqual(expect.arrayContaining(["Port", "Entrypoint", "Limits", "Health check"]));
    expect(pending.settings.entrypoint).toContain("httpd -f -p 9090");

    const next = await updateService(deps, actor, { ...edited, deploy: true });
    const done = await finishedDeployment(deps, next.deploymentId!);
    expect(done.error).toBeNull();
    const c = await liveContainer(id);
    expect((await sh(c.containerId, `${GET} get 127.0.0.1 9090`)).output).toContain("edited build");
    const inspected = await docker.getContainer(c.containerId).inspect();
    expect(inspected.Config.Labels["com.example.team"]).toBe("web");
    expect(inspected.HostConfig.Memory).toBe(64 * 1024 * 1024);
    expect(inspected.HostConfig.NanoCpus).toBe(5e8);
    expect(inspected.HostConfig.PidsLimit).toBe(128);
    expect((await getService(deps, actor, id)).pendingChanges).toEqual([]);
    const release2 = await deps.db.release.findFirstOrThrow({ where: { serviceId: id, number: 2 } });
    expect(openReleaseConfig(release2.config, deps.box)).toMatchObject({ containerPort: 9090, runtime: { limits: { memoryMb: 64 } } });
    expect(release2.imageId).toMatch(/^sha256:[a-f0-9]{64}$/);

    // Rollback: release 1's port, command and (instance default) limits come back with its image.
    const release1 = await deps.db.release.findFirstOrThrow({ where: { serviceId: id, number: 1 } });
    const rolled = await finishedDeployment(deps, (await rollbackToRelease(deps, actor, release1.id)).deploymentId);
    expect(rolled.error).toBeNull();
    const back = await liveContainer(id);
    expect((await sh(back.containerId, `${GET} get 127.0.0.1`)).output).toContain("hello");
    const backInfo = await docker.getContainer(back.containerId).inspect();
    expect(backInfo.HostConfig.Memory).toBe(1024 * 1024 * 1024);
    expect(backInfo.HostConfig.PidsLimit).toBe(4096);
    // The service's saved settings stay as edited: the page shows them as pending again.
    expect((await getService(deps, actor, id)).pendingChanges).toEqual(expect.arrayContaining(["Port"]));
  });

  it("a deploy whose image cannot be pulled fails with the reason and leaves the previous release serving", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const projectId = await newProject(teamId);
    const id = await deployed(actor, projectId, { name: "pull" });
    const before = await liveContainer(id);
    const edited = updateServiceInput.parse({ ...(await settingsOf(id, actor)), image: "berth-test/does-not-exist:1", deploy: true });
    const { deploymentId } = await updateService(deps, actor, edited);
    const done = await finishedDeployment(deps, deploymentId!);
    expect(done.status).toBe("failed");
    expect(done.error).toMatch(/does-not-exist/);
    const after = await liveContainer(id);
    expect(after.containerId).toBe(before.containerId);
  });
});

describe("workers", () => {
  it("a worker with no port runs once it stayed up without restarting, and has no domain", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const projectId = await newProject(teamId);
    const id = await deployed(actor, projectId, {
      name: "jobs",
      kind: "worker",
      containerPort: null,
      entrypoint: "sh -c 'while true; do echo tick; sleep 1; done'",
      workerStableS: 2,
    });
    const c = await liveContainer(id);
    expect(c.hostPort).toBeNull();
    expect(await deps.db.domain.count({ where: { serviceId: id } })).toBe(0);
    const view = await getService(deps, actor, id);
    expect(view.internal).toBeNull();
    expect(view.runtime.state).toBe("running");
  });

  it("a worker that exits at once fails its deployment with its last lines", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const projectId = await newProject(teamId);
    const input = createServiceInput.parse({
      projectId,
      name: "crash",
      image: TEST_IMAGE,
      kind: "worker",
      containerPort: null,
      entrypoint: "sh -c 'echo giving up; exit 3'",
      deploy: true,
    });
    const { id, deploymentId } = await createService(deps, actor, input);
    services.push(id);
    const done = await finishedDeployment(deps, deploymentId!);
    expect(done.status).toBe("failed");
    expect(done.error).toMatch(/giving up/);
    expect(await deps.engine.listManaged({ serviceId: id })).toEqual([]);
  });
});

describe("limits between tenants", () => {
  it("a fork bomb in one team's service hits its PID limit; another team's service keeps answering", async () => {
    const victim = await seedUser(deps.db);
    const attacker = await seedUser(deps.db);
    const web = await deployed(victim.actor, await newProject(victim.teamId), {
      name: "shop",
      env: [{ key: "GREETING", value: "still serving" }],
    });
    const bomb = await deployed(attacker.actor, await newProject(attacker.teamId), {
      name: "bomb",
      kind: "worker",
      containerPort: null,
      // After its first second (the release gate), forks without end: each bomb doubles until a
      // fork fails (busybox sh then exits), and a new bomb starts; the restart policy revives
      // the container when its loop's own fork fails.
      entrypoint: `sh -c 'sleep 2; while :; do sh -c "f() { f & f & wait; }; f" 2>/dev/null; done'`,
      limits: { pidsLimit: 64, cpus: 0.5 },
      workerStableS: 1,
      restartPolicy: "always",
    });
    const port = (await deps.db.deployment.findFirstOrThrow({ where: { serviceId: web, status: "succeeded" } })).hostPort!;
    const bombC = await liveContainer(bomb);
    // The other team's service answers all along, while the bomb runs into its limit: busybox httpd
    // forks a process per request, which fails once the bomb has taken the host's PIDs. Sampled
    // until the bomb was seen past half its limit (20 requests at least): on a loaded machine it
    // may take a while to climb there at half a CPU. (The deadlines are generous bounds for a
    // loaded machine, not speed bounds.)
    const pids: number[] = [];
    const deadline = Date.now() + 60_000;
    for (let i = 0; i < 20 || (Math.max(...pids) <= 32 && Date.now() < deadline); i++) {
      if (i % 4 === 0) pids.push(Number((await docker.getContainer(bombC.containerId).stats({ stream: false })).pids_stats?.current ?? 0));
      const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(10_000) });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("still serving");
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(Math.max(...pids)).toBeGreaterThan(32);
    expect(Math.max(...pids)).toBeLessThanOrEqual(64);
  });
});
