import { afterAll, describe, expect, it } from "vitest";
import { loadProject, requireTeamRole } from "../teams/access.ts";
import type { ReleaseSpec } from "@berth/engine";
import { seedService, seedUser, testDeps, waitFor } from "../../test/harness.ts";
import { deploymentWorker, finishedDeployment } from "../../test/deploy-harness.ts";
import { enqueueDeployment } from "../deployments/deployments.ts";
import { getService } from "../services/services.ts";
import { getProject } from "../projects/projects.ts";
import { EngineWatch } from "./engine-watch.ts";
import { getTeamOverview } from "./overview.ts";

const deps = testDeps();
const watch = new EngineWatch(deps);
deps.engineWatch = watch;
const touched: string[] = [];

afterAll(async () => {
  watch.stop();
  for (const serviceId of touched) await deps.engine.removeService(serviceId);
  await deps.db.$disconnect();
});

async function service(teamId: string, projectId?: string) {
  const seeded = await seedService(deps.db, teamId);
  if (projectId) await deps.db.service.update({ where: { id: seeded.serviceId }, data: { projectId } });
  touched.push(seeded.serviceId);
  const row = await deps.db.service.findUniqueOrThrow({ where: { id: seeded.serviceId } });
  return { ...seeded, projectId: projectId ?? seeded.projectId, name: row.name, image: row.image };
}

async function release(teamId: string, s: Awaited<ReturnType<typeof service>>, extra: Partial<ReleaseSpec> = {}) {
  const d = await deps.db.deployment.create({
    data: { serviceId: s.serviceId, image: s.image, status: "succeeded", finishedAt: new Date() },
  });
  await deps.engine.runRelease({
    owner: { teamId, projectId: s.projectId, serviceId: s.serviceId },
    deploymentId: d.id,
    serviceName: s.name,
    image: s.image,
    containerPort: 8080,
    env: {},
    ...extra,
  });
  return d.id;
}

describe("team overview (real engine, real Postgres)", () => {
  it("derives running, deploying, failed, stopped, not deployed and crash-looping from containers, events and the last deployment", async () => {
    watch.start();
    const { actor, teamId } = await seedUser(deps.db);
    const running = await service(teamId);
    await release(teamId, running);
    const deploying = await service(teamId, running.projectId);
    await deps.db.deployment.create({ data: { serviceId: deploying.serviceId, image: deploying.image, status: "building" } });
    const failed = await service(teamId);
    await deps.db.deployment.create({
      data: {
        serviceId: failed.serviceId,
        image: failed.image,
        status: "failed",
        error: "Health check failed: nothing answered on 8080",
        finishedAt: new Date(),
      },
    });
    const stopped = await service(teamId);
    await release(teamId, stopped);
    await deps.engine.stopService(stopped.serviceId, 1);
    await deps.db.service.update({ where: { id: stopped.serviceId }, data: { desiredState: "stopped" } });
    const fresh = await service(teamId);
    // Should run, but its container was stopped behind Berth's back (no reconciler in this file).
    const exited = await service(teamId);
    await release(teamId, exited);
    await deps.engine.stopService(exited.serviceId, 1);
    // Serves long enough to pass the health gate, then dies with an error; the engine restarts it again and again.
    const looping = await service(teamId);
    await release(teamId, looping, {
      entrypoint: ["/bin/sh", "-c", "httpd -p 8080 -h /; sleep 2; exit 3"],
      restartPolicy: { name: "always" },
    });
    const other = await seedUser(deps.db);
    const outsider = await service(other.teamId);

    const first = await getTeamOverview(deps, { id: teamId, role: await requireTeamRole(deps.db, actor, teamId, "viewer") });
    const statusOf = (o: typeof first) => Object.fromEntries(o.services.map((s) => [s.id, s.status]));
    expect(statusOf(first)).toMatchObject({
      [running.serviceId]: "running",
      [deploying.serviceId]: "deploying",
      [failed.serviceId]: "failed",
      [stopped.serviceId]: "stopped",
      [fresh.serviceId]: "not_deployed",
      [exited.serviceId]: "exited",
    });
    // Should run and does not: the exited one only (the same answer /healthz counts).
    const down = first.down.map((d) => d.id);
    expect(down).toContain(exited.serviceId);
    for (const id of [running, deploying, failed, stopped, fresh].map((x) => x.serviceId)) expect(down).not.toContain(id);
    expect(first.down.find((d) => d.id === exited.serviceId)).toMatchObject({ name: exited.name });
    expect(first.services.map((s) => s.id)).not.toContain(outsider.serviceId);
    // seedService makes a project per service; `deploying` was moved into running's project.
    expect(first.projects.find((p) => p.id === running.projectId)?.serviceCount).toBe(2);
    expect(first.services.find((s) => s.id === failed.serviceId)?.lastDeployment).toMatchObject({
      status: "failed",
      error: "Health check failed: nothing answered on 8080",
    });
    expect(first.attention).toContainEqual(
      expect.objectContaining({ kind: "deploy_failed", serviceId: failed.serviceId, serviceName: failed.name }),
    );
    expect(first.attention.filter((a) => a.serviceId === running.serviceId)).toEqual([]);
    expect(first.engineError).toBeNull();
    expect(first.disk?.usedPercent).toBeGreaterThan(0);

    const looped = await waitFor(
      "the restarting service to be seen crash-looping",
      async () => {
        const o = await getTeamOverview(deps, { id: teamId, role: await requireTeamRole(deps.db, actor, teamId, "viewer") });
        return statusOf(o)[looping.serviceId] === "crash_looping" ? o : null;
      },
      40_000,
    );
    expect(looped.attention).toContainEqual(expect.objectContaining({ kind: "crash_loop", serviceId: looping.serviceId }));
    expect(watch.recent(looping.serviceId).dies).toBeGreaterThanOrEqual(3);
    expect(looped.counts.crash_looping).toBe(1);
  }, 60_000);

  it("three healthy redeploys in a row are not a crash loop: retiring old releases is planned; overview, project and service page agree", async () => {
    watch.start();
    // The first test's fake "building" row is not a job: a worker would try to recover it first.
    await deps.db.deployment.updateMany({
      where: { status: { in: ["queued", "cloning", "building", "releasing"] } },
      data: { status: "failed", finishedAt: new Date() },
    });
    const worker = deploymentWorker(deps);
    worker.start();
    try {
      const { actor, teamId } = await seedUser(deps.db);
      const s = await service(teamId);
      for (let i = 0; i < 4; i++) {
        const { deploymentId } = await enqueueDeployment(deps, actor, s.serviceId);
        expect((await finishedDeployment(deps, deploymentId)).status).toBe("succeeded");
      }
      // The engine reports each retired release's stop (kill, die) shortly after the switch.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const overview = await getTeamOverview(deps, { id: teamId, role: await requireTeamRole(deps.db, actor, teamId, "viewer") });
      const row = overview.services.find((x) => x.id === s.serviceId);
      expect(row).toMatchObject({ status: "running", restartCount: 0, attention: [] });
      expect(watch.recent(s.serviceId).dies).toBe(0);
      const page = await getService(deps, actor, s.serviceId);
      expect(page.status).toMatchObject({
        status: "running",
        restartCount: 0,
        attention: [],
        containerUp: true,
        startBlocked: "It is already running",
      });
      const project = await getProject(deps, (await loadProject(deps.db, actor, s.projectId, "viewer")).project);
      expect(project.services.find((x) => x.id === s.serviceId)?.status).toBe("running");
    } finally {
      await worker.stop();
    }
  }, 120_000);

  it("a timed-out deployment shows one status (timed_out) on the overview, project and service page, and Start says there is nothing to start", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const s = await service(teamId);
    await deps.db.deployment.create({
      data: {
        serviceId: s.serviceId,
        image: s.image,
        status: "timed_out",
        error: "Health check timed out after 30 s",
        finishedAt: new Date(),
      },
    });
    const overview = await getTeamOverview(deps, { id: teamId, role: await requireTeamRole(deps.db, actor, teamId, "viewer") });
    expect(overview.services.find((x) => x.id === s.serviceId)?.status).toBe("timed_out");
    expect(
      (await getProject(deps, (await loadProject(deps.db, actor, s.projectId, "viewer")).project)).services.find(
        (x) => x.id === s.serviceId,
      )?.status,
    ).toBe("timed_out");
    const page = await getService(deps, actor, s.serviceId);
    expect(page.status).toMatchObject({
      status: "timed_out",
      containerUp: false,
      startBlocked: "There is no release to start yet: deploy it first",
    });
  });

  it("a real OOM kill (engine event) shows under needs attention", async () => {
    watch.start();
    const { actor, teamId } = await seedUser(deps.db);
    const hungry = await service(teamId);
    await release(teamId, hungry, { resources: { memoryBytes: 8 * 1024 * 1024 } });
    const container = (await deps.engine.listManaged({ serviceId: hungry.serviceId }))[0];
    expect(container).toBeDefined();
    // Fill memory inside the limit's cgroup: the kernel OOM-kills the shell (or the container with it).
    await deps.engine
      .exec(container!.containerId, { cmd: ["sh", "-c", "x=a; while true; do x=$x$x; done"], timeoutMs: 20_000 })
      .catch(() => null);
    const seen = await waitFor(
      "the OOM kill in the overview",
      async () => {
        const o = await getTeamOverview(deps, { id: teamId, role: await requireTeamRole(deps.db, actor, teamId, "viewer") });
        return o.attention.find((a) => a.kind === "oom_killed" && a.serviceId === hungry.serviceId) ?? null;
      },
      30_000,
    );
    expect(seen.message).toMatch(/out of memory/);
  }, 60_000);

  it("the team check its procedure runs refuses a caller outside the team (NOT_FOUND); a viewer sees the overview", async () => {
    const { teamId } = await seedUser(deps.db);
    const stranger = await seedUser(deps.db);
    await expect(requireTeamRole(deps.db, stranger.actor, teamId, "viewer")).rejects.toMatchObject({ code: "NOT_FOUND" });
    const viewer = await seedUser(deps.db, "viewer", teamId);
    expect(
      (await getTeamOverview(deps, { id: teamId, role: await requireTeamRole(deps.db, viewer.actor, teamId, "viewer") })).services,
    ).toEqual([]);
  });
});
