import { afterAll, beforeAll, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { DockerEngine } from "@berth/engine";
import { proxyGet, startProxiedWorker } from "../test/caddy.ts";
import { finishedDeployment } from "../test/deploy-harness.ts";
import { requireTestImage, seedService, seedUser, testDeps, waitFor } from "../test/harness.ts";
import { addDomain } from "../src/domains/domains.ts";
import { enqueueDeployment } from "../src/deployments/deployments.ts";
import { reportFigure, seconds } from "./report.ts";

/**
 * The edge proxy killed (kill -9) and started again empty, as its supervisor (systemd's
 * berth-proxy.service) would: Berth's watcher sees the lost configuration and loads the routes
 * again. Goal: routes back within 10 s of Caddy answering again.
 */
const deps = testDeps();
const hostname = `fault-proxy-${randomUUID().slice(0, 8)}.localhost`;
let proxied: Awaited<ReturnType<typeof startProxiedWorker>>;
let serviceId = "";
let projectId = "";

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  proxied = await startProxiedWorker(deps, { watchMs: 1000, concurrency: 1 });
});

afterAll(async () => {
  await proxied.stop();
  if (serviceId) await deps.engine.removeService(serviceId);
  // The project's network too (removeService removes only the service's own).
  if (projectId) await deps.engine.pruneNetworks({ projectId }).catch(() => undefined);
  await deps.db.$disconnect();
});

it("Caddy killed and restarted: every route answers again within 10 s, with no user action", async () => {
  const { actor, teamId } = await seedUser(deps.db);
  ({ serviceId, projectId } = await seedService(deps.db, teamId));
  await addDomain(deps, actor, { serviceId, hostname });
  const done = await finishedDeployment(deps, (await enqueueDeployment(deps, actor, serviceId)).deploymentId);
  expect(done.status).toBe("succeeded");
  const { caddy } = proxied;
  // Caddy's internal CA survives the restart (its storage directory is kept, as on a host).
  const ca = await caddy.admin.internalRootPem();
  const answers = async () => (await proxyGet(caddy, { hostname, ca, timeoutMs: 2000 }).catch(() => null))?.status === 200;
  await waitFor("the route", answers, 15_000);

  const rounds: number[] = [];
  for (let round = 0; round < 3; round++) {
    await caddy.kill();
    expect(await answers()).toBe(false);
    await caddy.run();
    const restarted = Date.now();
    await waitFor("the route after the restart", answers, 10_000);
    rounds.push(Date.now() - restarted);
  }
  reportFigure("edge proxy killed and restarted (3 times)", `routes back after ${rounds.map(seconds).join(", ")} (goal < 10 s)`);
}, 120_000);
