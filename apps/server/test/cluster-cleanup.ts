import type { Server } from "node:http";
import Docker from "dockerode";
import type { EngineNodes } from "./engine-nodes.ts";
import type { TestDeps } from "./harness.ts";

/**
 * What a cluster test file made, removed (its `afterAll`): its services, the cluster and servers
 * named with its tag, the sign-up it opened, its HTTP server, its harness engines and the images
 * it built on the host's engine. The database client is left to the caller, which may still need it.
 */
export async function removeClusterFixture(
  deps: TestDeps,
  made: { tag: string; serviceIds: string[]; http?: { server: Server }; engines?: EngineNodes; images?: string[] },
): Promise<void> {
  await deps.db.service.deleteMany({ where: { id: { in: made.serviceIds } } });
  await deps.db.cluster.deleteMany({ where: { manager: { name: { endsWith: made.tag } } } });
  await deps.db.server.deleteMany({ where: { name: { endsWith: made.tag } } });
  await deps.db.instanceSettings.update({ where: { id: 1 }, data: { signupOpen: false } });
  made.http?.server.close();
  await made.engines?.close();
  const host = new Docker({ socketPath: "/var/run/docker.sock" });
  for (const image of made.images ?? [])
    await host
      .getImage(image)
      .remove()
      .catch(() => undefined);
}
