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

/** Give a local image another tag (no registry: the "new version" of an image for a test). */
export async function tagImage(source: string, target: string): Promise<void> {
  const colon = target.lastIndexOf(":");
  await docker.getImage(source).tag({ repo: target.slice(0, colon), tag: target.slice(colon + 1) });
}

/** Remove one tag (the image stays while another tag or a container holds it). */
export async function untagImage(tag: string): Promise<void> {
  await docker
    .getImage(tag)
    .remove({ noprune: true })
    .catch(() => undefined);
}

/** Run argv in the service's running container (as the test's own setup, e.g. psql) and return its exit code. */
export async function execInService(serviceId: string, cmd: string[]): Promise<number> {
  const [container] = await docker.listContainers({ filters: { label: [`io.berth.service=${serviceId}`], status: ["running"] } });
  if (!container) throw new Error(`no running container of service ${serviceId}`);
  const exec = await docker.getContainer(container.Id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({});
  stream.resume();
  await new Promise((resolve) => stream.once("end", resolve));
  return (await exec.inspect()).ExitCode ?? -1;
}
