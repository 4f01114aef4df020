import Docker from "dockerode";

const docker = new Docker({ socketPath: process.env.BERTH_DOCKER_SOCKET ?? "/var/run/docker.sock" });

/** Names of all containers (any state) that carry `io.berth.service=<serviceId>`. */
export async function containersOfService(serviceId: string): Promise<string[]> {
  const containers = await docker.listContainers({ all: true, filters: { label: [`io.berth.service=${serviceId}`] } });
  return containers.map((c) => c.Names[0] ?? c.Id);
}

/** The running containers of a service, inspected (limits, entrypoint, command, mounts). */
export async function runningContainersOfService(serviceId: string): Promise<Docker.ContainerInspectInfo[]> {
  const containers = await docker.listContainers({ filters: { label: [`io.berth.service=${serviceId}`], status: ["running"] } });
  return Promise.all(containers.map((c) => docker.getContainer(c.Id).inspect()));
}
