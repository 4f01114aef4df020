import { afterAll, beforeAll, expect, it } from "vitest";
import { loadService } from "../teams/access.ts";
import type { DockerEngine } from "@berth/engine";
import { requireTestImage, seedService, seedUser, testDeps, waitFor } from "../../test/harness.ts";
import { enqueueDeployment, listDeployments } from "./deployments.ts";
import { isTerminalStatus } from "./statuses.ts";
import { DeploymentWorker } from "./worker.ts";

// No fixed concurrency: the worker reads InstanceSettings.buildConcurrency.
const deps = testDeps();
const worker = new DeploymentWorker(deps, { pollMs: 100 });
const touched: string[] = [];

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  await deps.db.instanceSettings.upsert({ where: { id: 1 }, create: { id: 1, buildConcurrency: 1 }, update: { buildConcurrency: 1 } });
  worker.start();
});

afterAll(async () => {
  await worker.stop();
  await deps.db.instanceSettings.update({ where: { id: 1 }, data: { buildConcurrency: null } });
  for (const id of touched) await deps.engine.removeService(id);
  await deps.db.$disconnect();
});

it("the global build concurrency from the instance settings holds other services' deployments in the queue, with their position", async () => {
  const { actor, teamId } = await seedUser(deps.db);
  // Service A holds the only slot for 3 s (nothing listens on 9999); B must wait for it.
  const a = (await seedService(deps.db, teamId, { containerPort: 9999 })).serviceId;
  await deps.db.service.update({ where: { id: a }, data: { healthTimeoutS: 3 } });
  const b = (await seedService(deps.db, teamId)).serviceId;
  touched.push(a, b);
  const first = (await enqueueDeployment(deps, actor, a)).deploymentId;
  await waitFor(
    "A to hold the slot",
    async () => (await deps.db.deployment.findUniqueOrThrow({ where: { id: first } })).status === "releasing",
  );
  const second = (await enqueueDeployment(deps, actor, b)).deploymentId;

  await new Promise((r) => setTimeout(r, 500));
  const [waiting] = await listDeployments(deps, (await loadService(deps.db, actor, b, "viewer")).service);
  expect(waiting).toMatchObject({ id: second, status: "queued", queuePosition: 1, waitingFor: "a free build slot" });

  let maxActive = 0;
  await waitFor(
    "B to finish",
    async () => {
      maxActive = Math.max(
        maxActive,
        await deps.db.deployment.count({ where: { serviceId: { in: [a, b] }, status: { in: ["cloning", "building", "releasing"] } } }),
      );
      const d = await deps.db.deployment.findUniqueOrThrow({ where: { id: second } });
      return isTerminalStatus(d.status) ? d : null;
    },
    60_000,
  );
  expect(maxActive).toBe(1);
  expect((await deps.db.deployment.findUniqueOrThrow({ where: { id: first } })).status).toBe("timed_out");
  expect((await deps.db.deployment.findUniqueOrThrow({ where: { id: second } })).status).toBe("succeeded");
});
