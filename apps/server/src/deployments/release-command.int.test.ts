/**
 * The release command in the real pipeline: a passing one runs from the new release with its
 * variables, is in the deployment log and the release goes live; a failing one fails the
 * deployment with a clear reason while the previous release keeps serving.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DockerEngine } from "@berth/engine";
import type { Prisma } from "@berth/db";
import { requireTestImage, seedUser, TEST_IMAGE, testDeps } from "../../test/harness.ts";
import { deploymentWorker, finishedDeployment } from "../../test/deploy-harness.ts";
import { readStoredRuntime } from "../services/runtime-settings.ts";
import { createServiceInput } from "../services/service-input.ts";
import { createService } from "../services/services.ts";
import type { Actor } from "../teams/access.ts";
import { readLogLines } from "./deployment-log.ts";
import { enqueueDeployment } from "./deployments.ts";

const deps = testDeps();
const worker = deploymentWorker(deps);
let owner: { actor: Actor; teamId: string };
let serviceId: string;
let projectId: string;

async function setReleaseCommand(argv: string[]): Promise<void> {
  const { runtime } = await deps.db.service.findUniqueOrThrow({ where: { id: serviceId }, select: { runtime: true } });
  await deps.db.service.update({
    where: { id: serviceId },
    data: { runtime: { ...readStoredRuntime(runtime), releaseCommand: argv } as unknown as Prisma.InputJsonValue },
  });
}

async function logText(deploymentId: string): Promise<string> {
  return (await readLogLines(deps.db, deploymentId, -1, 5000)).map((l) => l.text).join("\n");
}

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  worker.start();
  owner = await seedUser(deps.db);
  const project = await deps.db.project.create({ data: { teamId: owner.teamId, name: `rc-${randomUUID().slice(0, 8)}` } });
  projectId = project.id;
  const input = createServiceInput.parse({
    projectId: project.id,
    name: "web",
    image: TEST_IMAGE,
    containerPort: 8080,
    env: [{ key: "GREETING", value: "from-the-new-release" }],
    releaseCommand: 'sh -c "echo migrating with $GREETING"',
  });
  serviceId = (await createService(deps, owner.actor, input)).id;
});

afterAll(async () => {
  await worker.stop();
  await deps.engine.removeService(serviceId).catch(() => undefined);
  await deps.engine.pruneNetworks({ projectId }).catch(() => undefined);
  await deps.db.$disconnect();
});

describe("release command", () => {
  let liveDeploymentId: string;

  it("a passing one is in the deployment log and the release goes live", async () => {
    const done = await finishedDeployment(deps, (await enqueueDeployment(deps, owner.actor, serviceId)).deploymentId);
    expect(done.error).toBeNull();
    expect(done.status).toBe("succeeded");
    const log = await logText(done.id);
    expect(log).toContain("Release command: sh -c 'echo migrating with $GREETING'");
    expect(log).toContain("migrating with from-the-new-release");
    expect(log).toMatch(/Release command finished in/);
    expect(log.indexOf("migrating with")).toBeLessThan(log.indexOf("Starting "));
    const run = await deps.db.oneOffRun.findFirstOrThrow({ where: { serviceId, deploymentId: done.id } });
    expect(run).toMatchObject({ trigger: "release", status: "succeeded", exitCode: 0 });
    expect(await deps.engine.listOneOffs({ serviceId })).toEqual([]);
    liveDeploymentId = done.id;
  });

  it("a failing one fails the deployment with a clear reason and the previous release still serves", async () => {
    await setReleaseCommand(["sh", "-c", "echo migration broke >&2; exit 3"]);
    const done = await finishedDeployment(deps, (await enqueueDeployment(deps, owner.actor, serviceId)).deploymentId);
    expect(done.status).toBe("failed");
    expect(done.error).toBe("The release command exited with code 3; the release did not go live and the previous release keeps serving");
    expect(await logText(done.id)).toContain("migration broke");
    const containers = await deps.engine.listManaged({ serviceId });
    expect(containers.map((c) => [c.deploymentId, c.state])).toEqual([[liveDeploymentId, "running"]]);
    const live = containers[0]!;
    expect(
      (
        await deps.engine.exec(live.containerId, {
          cmd: ["sh", "-c", "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 127.0.0.1 8080 | head -1"],
        })
      ).output,
    ).toMatch(/200 OK/);
    expect(await deps.engine.listOneOffs({ serviceId })).toEqual([]);
  });
});
