/**
 * Cron jobs against the real engine: an every-second job runs on schedule in a new container of
 * the live release, records each run (output, exit code), skips a slot while the previous run is
 * still running, is claimed once by two schedulers at once; a failing run is notified to the
 * project's channels; a bad expression and a taken name are refused at their fields; deleting
 * the service cancels a run in progress first (no failure is notified).
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DockerEngine } from "@berth/engine";
import { requireTestImage, seedUser, TEST_IMAGE, testDeps, waitFor } from "../../test/harness.ts";
import { allowLocalSources, deploymentWorker, finishedDeployment } from "../../test/deploy-harness.ts";
import { enqueueDeployment } from "../deployments/deployments.ts";
import { createChannel } from "../notifications/channels.ts";
import { createServiceInput } from "../services/service-input.ts";
import { createService, deleteService } from "../services/services.ts";
import type { Actor } from "../teams/access.ts";
import { cronJobInput } from "./cron-input.ts";
import { createCronJob, listCronJobs, runCronJobNow, updateCronJob } from "./cron-jobs.ts";
import { CronScheduler } from "./scheduler.ts";

const deps = testDeps();
const worker = deploymentWorker(deps);
const schedulers = [new CronScheduler(deps), new CronScheduler(deps)];
const received: Record<string, unknown>[] = [];
let receiver: Server;
let owner: { actor: Actor; teamId: string };
let serviceId: string;
let projectId: string;

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  receiver = createServer((req, res) => {
    let data = "";
    req.on("data", (c: Buffer) => (data += c.toString()));
    req.on("end", () => {
      received.push(JSON.parse(data) as Record<string, unknown>);
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  await allowLocalSources(deps, true);
  worker.start();
  owner = await seedUser(deps.db);
  const project = await deps.db.project.create({ data: { teamId: owner.teamId, name: `cron-${randomUUID().slice(0, 8)}` } });
  projectId = project.id;
  const input = createServiceInput.parse({
    projectId: project.id,
    name: "jobs",
    image: TEST_IMAGE,
    kind: "worker",
    command: "sleep 3600",
    env: [{ key: "GREETING", value: "from-cron" }],
  });
  serviceId = (await createService(deps, owner.actor, input)).id;
  await createChannel(deps, owner.actor, project.id, {
    kind: "webhook",
    name: "ops",
    target: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
    onSuccess: false,
    onFailure: true,
  });
  const done = await finishedDeployment(deps, (await enqueueDeployment(deps, owner.actor, serviceId)).deploymentId);
  expect(done.error).toBeNull();
  // Two schedulers at once, as with the web process and a separate worker.
  for (const s of schedulers) s.start();
});

afterAll(async () => {
  await Promise.all(schedulers.map((s) => s.stop()));
  await worker.stop();
  await allowLocalSources(deps, false);
  receiver.close();
  await deps.engine.removeService(serviceId).catch(() => undefined);
  await deps.engine.pruneNetworks({ projectId }).catch(() => undefined);
  await deps.db.$disconnect();
});

describe("cron jobs", () => {
  it("an every-second job runs, records history, and skips slots while the previous run is still running", async () => {
    const { id } = await createCronJob(
      deps,
      owner.actor,
      serviceId,
      cronJobInput.parse({ name: "tick", schedule: "* * * * * *", command: 'echo "tick $GREETING"; sleep 2', timeoutS: 30 }),
    );
    const started = Date.now();
    const runs = await waitFor(
      "three finished runs",
      async () => {
        const rows = await deps.db.oneOffRun.findMany({
          where: { cronJobId: id, status: { not: "running" } },
          orderBy: { startedAt: "asc" },
        });
        return rows.length >= 3 ? rows : null;
      },
      60_000,
    );
    await updateCronJob(
      deps,
      owner.actor,
      serviceId,
      id,
      cronJobInput.parse({ name: "tick", schedule: "* * * * * *", command: "true", enabled: false }),
    );
    const elapsedS = (Date.now() - started) / 1000;
    for (const run of runs) expect(run).toMatchObject({ trigger: "cron", status: "succeeded", exitCode: 0, output: "tick from-cron\n" });
    // Never two at once: each run started after the previous one ended (the slots between were skipped)...
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.startedAt.getTime()).toBeGreaterThanOrEqual(runs[i - 1]!.finishedAt!.getTime());
    // ...so far fewer runs than slots, and each slot claimed once although two schedulers saw it.
    expect(runs.length).toBeLessThan(elapsedS);
    const slots = runs.map((r) => r.cronSlot!.toISOString());
    expect(new Set(slots).size).toBe(slots.length);
    const listed = await listCronJobs(deps, owner.actor, serviceId);
    expect(listed.timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(listed.jobs[0]).toMatchObject({ name: "tick", enabled: false, nextRunAt: null, lastRun: { status: expect.any(String) } });
    // The skipped slots are counted where the history is shown.
    expect(listed.jobs[0]?.skippedSlots).toBeGreaterThan(0);
    expect(listed.jobs[0]?.lastSkippedAt).toBeInstanceOf(Date);
  });

  it("a failing run is recorded and notified; run now is refused while a run is in progress", async () => {
    const { id } = await createCronJob(
      deps,
      owner.actor,
      serviceId,
      cronJobInput.parse({ name: "nightly", schedule: "0 3 * * *", command: "echo failing; exit 4" }),
    );
    const { runId } = await runCronJobNow(deps, owner.actor, serviceId, id);
    const run = await waitFor("the run to end", async () => {
      const r = await deps.db.oneOffRun.findUniqueOrThrow({ where: { id: runId } });
      return r.status === "running" ? null : r;
    });
    expect(run).toMatchObject({
      status: "failed",
      exitCode: 4,
      error: "Exited with code 4",
      output: "failing\n",
      trigger: "cron",
      actorId: owner.actor.userId,
    });
    const sent = await waitFor("the failure notification", async () =>
      received.find((b) => b.event === "cron.failed" && b.cronJob === "nightly"),
    );
    expect(sent.text).toMatch(/^Cron job nightly of cron-.*\/jobs failed: Exited with code 4/);

    await updateCronJob(
      deps,
      owner.actor,
      serviceId,
      id,
      cronJobInput.parse({ name: "nightly", schedule: "0 3 * * *", command: "sleep 30" }),
    );
    const slow = await runCronJobNow(deps, owner.actor, serviceId, id);
    await expect(runCronJobNow(deps, owner.actor, serviceId, id)).rejects.toMatchObject({
      code: "INVALID",
      fieldErrors: { cronJobId: "The previous run of this job is still running" },
    });
    await deps.db.oneOffRun.update({ where: { id: slow.runId }, data: { cancelRequestedAt: new Date() } });
    await waitFor(
      "the slow run to be cancelled",
      async () => (await deps.db.oneOffRun.findUniqueOrThrow({ where: { id: slow.runId } })).status === "cancelled",
    );
  });

  it("refuses a bad expression and a taken name at their fields; nothing is created", async () => {
    const bad = cronJobInput.safeParse({ name: "x", schedule: "61 * * * *", command: "true" });
    expect(bad.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["schedule", "Not a valid cron expression: Invalid value for minute: 61"],
    ]);
    await expect(
      createCronJob(deps, owner.actor, serviceId, cronJobInput.parse({ name: "nightly", schedule: "* * * * *", command: "true" })),
    ).rejects.toMatchObject({ fieldErrors: { name: "This service already has a cron job with this name" } });
    expect(await deps.db.cronJob.count({ where: { serviceId } })).toBe(2);
    const stranger = await seedUser(deps.db);
    await expect(listCronJobs(deps, stranger.actor, serviceId)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  // Last: it deletes the service.
  it("deleting the service while a cron run runs cancels the run before its container goes: no failure is notified", async () => {
    const { id } = await createCronJob(
      deps,
      owner.actor,
      serviceId,
      cronJobInput.parse({ name: "long", schedule: "0 3 * * *", command: "echo begun; sleep 300" }),
    );
    const { runId } = await runCronJobNow(deps, owner.actor, serviceId, id);
    await waitFor(
      "the run's output",
      async () => (await deps.db.oneOffRun.findUniqueOrThrow({ where: { id: runId } })).output === "begun\n",
    );
    // The run as the delete's engine step finds it (the row goes with the service afterwards).
    const seen: string[] = [];
    const removeService = deps.engine.removeService.bind(deps.engine);
    deps.engine.removeService = async (id) => {
      seen.push((await deps.db.oneOffRun.findUniqueOrThrow({ where: { id: runId } })).status);
      return removeService(id);
    };
    try {
      await deleteService(deps, owner.actor, serviceId);
    } finally {
      deps.engine.removeService = removeService;
    }
    expect(seen).toEqual(["cancelled"]);
    expect(await deps.engine.listOneOffs({ serviceId })).toEqual([]);
    // A notification would have left within the delete's own time; give it a moment more anyway.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(received.filter((b) => b.cronJob === "long")).toEqual([]);
  });
});
