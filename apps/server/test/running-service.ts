import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import type { DockerEngine } from "@berth/engine";
import { enqueueDeployment } from "../src/deployments/deployments.ts";
import { DeploymentWorker } from "../src/deployments/worker.ts";
import { requireTestImage, seedService, seedUser, testDeps, waitFor } from "./harness.ts";
import { Client, startHttp } from "./http-harness.ts";

/**
 * A new service whose release container runs (started on the engine directly: no worker, no
 * proxy), for tests of what watches running containers: in a new team, or the one given, and
 * with the image's command or the entrypoint given. The caller removes it.
 */
export async function runReleaseDirectly(deps: ReturnType<typeof testDeps>, options: { teamId?: string; entrypoint?: string[] } = {}) {
  const teamId = options.teamId ?? (await seedUser(deps.db)).teamId;
  const { projectId, serviceId } = await seedService(deps.db, teamId);
  const service = await deps.db.service.findUniqueOrThrow({ where: { id: serviceId } });
  const deployment = await deps.db.deployment.create({
    data: { serviceId, image: service.image, status: "succeeded", finishedAt: new Date() },
  });
  const { containerId } = await deps.engine.runRelease({
    owner: { teamId, projectId, serviceId },
    deploymentId: deployment.id,
    serviceName: service.name,
    image: service.image,
    containerPort: 8080,
    env: {},
    ...(options.entrypoint ? { entrypoint: options.entrypoint } : {}),
  });
  return { teamId, projectId, serviceId, containerId };
}

/**
 * For socket tests: the control plane on an ephemeral port with its worker, an owner account
 * (signed up as `<tag>-...@example.test`) and one service deployed and running. `close()` ends
 * the sockets opened through it, the worker, the service's containers and the server.
 */
export async function startWithRunningService(tag: string) {
  const deps = testDeps();
  const worker = new DeploymentWorker(deps, { concurrency: 1, pollMs: 200 });
  await requireTestImage(deps.engine as DockerEngine);
  await seedUser(deps.db);
  await deps.db.instanceSettings.upsert({ where: { id: 1 }, create: { signupOpen: true }, update: { signupOpen: true } });
  const { server, base, io } = await startHttp(deps);
  worker.start();
  const owner = new Client(base);
  expect((await owner.signUp(`${tag}-${randomUUID().slice(0, 8)}@example.test`)).status).toBe(200);
  const me = await owner.query("me.get");
  const teamId = me.data.teams[0].id as string;
  const { serviceId, projectId } = await seedService(deps.db, teamId);
  const { deploymentId } = await enqueueDeployment(deps, { userId: me.data.user.id, instanceRole: "user" }, serviceId);
  await waitFor(
    "running",
    async () => (await deps.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } })).status === "succeeded",
    60_000,
  );
  const sockets: Socket[] = [];

  return {
    deps,
    base,
    owner,
    teamId,
    serviceId,
    /** A socket.io connection with the client's session cookie (not yet connected). */
    socketOf(client: Client): Socket {
      const socket = connect(base, {
        path: "/socket.io",
        transports: ["websocket"],
        extraHeaders: { cookie: client.cookie },
        reconnection: false,
      });
      sockets.push(socket);
      return socket;
    },
    async close(): Promise<void> {
      for (const s of sockets) s.close();
      await worker.stop();
      await deps.engine.removeService(serviceId);
      // The project's network too (removeService removes only the service's own).
      await deps.engine.pruneNetworks({ projectId }).catch(() => undefined);
      await io.close();
      server.close();
      await deps.db.$disconnect();
    },
  };
}
