/**
 * One-off runs through the use cases against the real engine: a new container of the live
 * release with its variables (secrets masked in the output) and volume; exit code and duration
 * recorded; cancel leaves no container; a run that outlives its service stops and takes the
 * project's network with it; a service without a release and another team are refused.
 */
import { randomUUID } from "node:crypto";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DockerEngine } from "@berth/engine";
import { requireTestImage, seedUser, TEST_IMAGE, testDeps, waitFor } from "../../test/harness.ts";
import { deploymentWorker, finishedDeployment } from "../../test/deploy-harness.ts";
import { enqueueDeployment } from "../deployments/deployments.ts";
import { saveEnv } from "../secrets/env-vars.ts";
import { createServiceInput } from "../services/service-input.ts";
import { createService } from "../services/services.ts";
import type { Actor } from "../teams/access.ts";
import { oneOffInput } from "./one-off-input.ts";
import { cancelOneOff, getOneOff, listOneOffs, startOneOff } from "./one-offs.ts";
import { sweepLostRuns } from "./sweep.ts";

const deps = testDeps();
const docker = new Docker();
const worker = deploymentWorker(deps, 2);
const services: string[] = [];
const projects: string[] = [];
let owner: { actor: Actor; teamId: string };
let serviceId: string;

async function finishedRun(id: string, svc = serviceId) {
  return waitFor(
    `run ${id} to end`,
    async () => {
      const run = await getOneOff(deps, owner.actor, svc, id);
      return run.status === "running" ? null : run;
    },
    60_000,
  );
}

async function projectNetworks(projectId: string): Promise<string[]> {
  return (await docker.listNetworks({ filters: { label: [`io.berth.project=${projectId}`] } })).map((n) => n.Name);
}

/** A worker (`sleep 3600`) in a project of its own, not deployed yet. */
async function newWorker(name: string, volumes: Array<{ name: string; mountPath: string }> = []): Promise<string> {
  const project = await deps.db.project.create({ data: { teamId: owner.teamId, name: `oo-${randomUUID().slice(0, 8)}` } });
  projects.push(project.id);
  const input = createServiceInput.parse({
    projectId: project.id,
    name,
    image: TEST_IMAGE,
    kind: "worker",
    command: "sleep 3600",
    volumes,
  });
  const { id } = await createService(deps, owner.actor, input);
  services.push(id);
  return id;
}

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  worker.start();
  owner = await seedUser(deps.db);
  serviceId = await newWorker("api", [{ name: "data", mountPath: "/data" }]);
  await saveEnv(deps, owner.actor, { serviceId }, [
    { name: "GREETING", value: "hello-from-the-release", secret: false, buildTime: false, runtime: true },
    { name: "API_KEY", value: "k3y-very-secret-value", secret: true, buildTime: false, runtime: true },
  ]);
  const done = await finishedDeployment(deps, (await enqueueDeployment(deps, owner.actor, serviceId)).deploymentId);
  expect(done.error).toBeNull();
});

afterAll(async () => {
  await worker.stop();
  for (const id of services) await deps.engine.removeService(id).catch(() => undefined);
  // The project networks go too: the engine's address pools are shared and small.
  for (const projectId of projects) await deps.engine.pruneNetworks({ projectId }).catch(() => undefined);
  // Berth keeps a deleted service's volume (only a user removes data); the test's own goes here.
  for (const projectId of projects) await deps.engine.removeVolume(projectId, "data").catch(() => undefined);
  await deps.db.$disconnect();
});

describe("one-off runs", () => {
  it("runs in a new container of a worker's release with its variables and volume; the exit code is recorded; secrets are masked", async () => {
    const script =
      'echo "$GREETING"; echo "$API_KEY"; [ "$API_KEY" = k3y-very-secret-value ] && echo key-ok; echo kept > /data/one-off.txt; cat /data/one-off.txt; exit 7';
    const { runId } = await startOneOff(deps, owner.actor, serviceId, oneOffInput.parse({ shell: script }));
    const run = await finishedRun(runId);
    expect(run.status).toBe("failed");
    expect(run.exitCode).toBe(7);
    expect(run.error).toBe("Exited with code 7");
    expect(run.durationMs).toBeGreaterThan(0);
    expect(run.command).toEqual(["sh", "-c", script]);
    expect(run.output).toContain("hello-from-the-release\n");
    expect(run.output).toContain("key-ok\n");
    expect(run.output).toContain("kept\n");
    expect(run.output).not.toContain("k3y-very-secret-value");
    // The volume is the service's own: the live release reads what the one-off wrote.
    const live = (await deps.engine.listManaged({ serviceId })).find((c) => c.state === "running")!;
    expect((await deps.engine.exec(live.containerId, { cmd: ["cat", "/data/one-off.txt"] })).output).toBe("kept\n");
    // Removed after it ended, and never listed as a release container.
    expect(await deps.engine.listOneOffs({ serviceId })).toEqual([]);
    const [listed] = await listOneOffs(deps, owner.actor, serviceId, { limit: 5 });
    expect(listed).toMatchObject({ id: runId, status: "failed", exitCode: 7, trigger: "user" });
    const audit = await deps.db.auditEvent.findFirst({ where: { action: "one_off.run", targetId: serviceId } });
    expect(audit?.detail).toMatchObject({ runId });
  });

  it("an argv runs without a shell and exits 0", async () => {
    const { runId } = await startOneOff(deps, owner.actor, serviceId, oneOffInput.parse({ argv: ["echo", "$GREETING", "a b"] }));
    const run = await finishedRun(runId);
    expect(run).toMatchObject({ status: "succeeded", exitCode: 0, output: "$GREETING a b\n" });
  });

  it("cancel stops the run and leaves no container", async () => {
    const { runId } = await startOneOff(deps, owner.actor, serviceId, oneOffInput.parse({ shell: "echo started; sleep 300" }));
    await waitFor("the run's output", async () => (await getOneOff(deps, owner.actor, serviceId, runId)).output.includes("started"));
    expect((await deps.engine.listOneOffs({ serviceId })).map((c) => c.runId)).toEqual([runId]);
    // Release operations never see or touch the running one-off: not listed as a release, and a
    // redeploy (which removes every other release of the service) leaves it running.
    const releases = await deps.engine.listManaged({ serviceId });
    expect(releases.every((c) => !c.containerName.includes("-run-"))).toBe(true);
    const redeploy = await finishedDeployment(deps, (await enqueueDeployment(deps, owner.actor, serviceId)).deploymentId);
    expect(redeploy.error).toBeNull();
    // The old release is retired after the redeploy is recorded (retire-old-release.ts).
    const releaseIds = async () => (await deps.engine.listManaged({ serviceId })).map((c) => c.deploymentId);
    await waitFor("the old release to be retired", async () => (await releaseIds()).length === 1, 30_000);
    expect(await releaseIds()).toEqual([redeploy.id]);
    await sweepLostRuns(deps);
    expect((await deps.engine.listOneOffs({ serviceId })).map((c) => c.runId)).toEqual([runId]);
    expect((await getOneOff(deps, owner.actor, serviceId, runId)).status).toBe("running");
    expect(await cancelOneOff(deps, owner.actor, serviceId, runId)).toEqual({ cancelled: true });
    const run = await finishedRun(runId);
    expect(run.status).toBe("cancelled");
    expect(await deps.engine.listOneOffs({ serviceId })).toEqual([]);
  });

  it("a timeout stops the run", async () => {
    const { runId } = await startOneOff(deps, owner.actor, serviceId, oneOffInput.parse({ shell: "sleep 300", timeoutS: 1 }));
    const run = await finishedRun(runId);
    expect(run).toMatchObject({ status: "timed_out", error: "Did not finish within 1 s; the container was stopped" });
    expect(await deps.engine.listOneOffs({ serviceId })).toEqual([]);
  });

  it("a run that outlived its service (started while the service was deleted) stops, and the project's network goes with it", async () => {
    const doomed = await newWorker("cron");
    const projectId = projects.at(-1)!;
    expect((await finishedDeployment(deps, (await enqueueDeployment(deps, owner.actor, doomed)).deploymentId)).error).toBeNull();
    const { runId } = await startOneOff(deps, owner.actor, doomed, oneOffInput.parse({ shell: "echo started; sleep 300" }));
    await waitFor("the run's output", async () => (await getOneOff(deps, owner.actor, doomed, runId)).output.includes("started"));
    // What a delete leaves when the run's container was made after the delete removed the
    // service's containers (a cron slot firing at that moment): the release gone, the rows
    // deleted, the run still on the project's network.
    for (const c of await deps.engine.listManaged({ serviceId: doomed })) await docker.getContainer(c.containerId).remove({ force: true });
    await deps.db.service.delete({ where: { id: doomed } });
    await waitFor("the run's container to go", async () => (await deps.engine.listOneOffs({ serviceId: doomed })).length === 0);
    await waitFor("the project's network to go", async () => (await projectNetworks(projectId)).length === 0);
  });

  it("a run whose process died (stale heartbeat) is ended as failed by the sweep", async () => {
    const lost = await deps.db.oneOffRun.create({
      data: { serviceId, command: ["true"], timeoutS: 60, heartbeatAt: new Date(Date.now() - 120_000) },
    });
    await sweepLostRuns(deps);
    expect(await deps.db.oneOffRun.findUniqueOrThrow({ where: { id: lost.id } })).toMatchObject({
      status: "failed",
      error: "The process running it stopped; the run was abandoned",
    });
  });

  it("a service with no release gets a clear error and no run", async () => {
    const project = await deps.db.project.create({ data: { teamId: owner.teamId, name: `oo-${randomUUID().slice(0, 8)}` } });
    const fresh = (
      await createService(
        deps,
        owner.actor,
        createServiceInput.parse({ projectId: project.id, name: "never", image: TEST_IMAGE, containerPort: 8080 }),
      )
    ).id;
    await expect(startOneOff(deps, owner.actor, fresh, oneOffInput.parse({ shell: "true" }))).rejects.toMatchObject({
      code: "CONFLICT",
      message: "never has no live release yet: deploy it first (a one-off runs in a new container of the live release)",
    });
    expect(await deps.db.oneOffRun.count({ where: { serviceId: fresh } })).toBe(0);
  });

  it("another team can neither run nor read nor cancel runs", async () => {
    const stranger = await seedUser(deps.db);
    const { runId } = await startOneOff(deps, owner.actor, serviceId, oneOffInput.parse({ argv: ["true"] }));
    await finishedRun(runId);
    await expect(startOneOff(deps, stranger.actor, serviceId, oneOffInput.parse({ shell: "id" }))).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(listOneOffs(deps, stranger.actor, serviceId, { limit: 5 })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getOneOff(deps, stranger.actor, serviceId, runId)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(cancelOneOff(deps, stranger.actor, serviceId, runId)).rejects.toMatchObject({ code: "NOT_FOUND" });
    // A viewer of the team reads but does not run.
    const viewer = await seedUser(deps.db, "viewer", owner.teamId);
    expect((await getOneOff(deps, viewer.actor, serviceId, runId)).id).toBe(runId);
    await expect(startOneOff(deps, viewer.actor, serviceId, oneOffInput.parse({ shell: "id" }))).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("refuses a missing command at its field", () => {
    const parsed = oneOffInput.safeParse({ shell: "  " });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["shell", "Type a command to run"]]);
  });
});
