import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerEngine } from "../src/index.ts";
import {
  buildHealthcheckImage,
  buildHelloImage,
  cleanupTeam,
  HEALTHCHECK_IMAGE,
  httpGet,
  rawDocker,
  rejectionOf,
  releaseFactory,
  uniqueId,
} from "./support/hello-image.ts";

const engine = new DockerEngine();
const docker = rawDocker();
const teamId = uniqueId("team");
const newRelease = releaseFactory(teamId);
const volumes: string[] = [];
const networks: string[] = [];

beforeAll(async () => {
  await buildHelloImage(engine);
  await buildHealthcheckImage(engine);
});

afterAll(async () => {
  await cleanupTeam(docker, teamId);
  for (const n of networks)
    await docker
      .getNetwork(n)
      .remove()
      .catch((e: { statusCode?: number }) => {
        if (e.statusCode !== 404) throw e;
      });
  for (const v of volumes)
    await docker
      .getVolume(v)
      .remove()
      .catch((e: { statusCode?: number }) => {
        if (e.statusCode !== 404) throw e;
      });
});

describe("release options on the real engine", () => {
  it("runs replicas on a project network with the service name as DNS alias, a named volume, limits and labels", async () => {
    const spec = newRelease({
      // A compose name as an alias (`_` is no DNS label character, and Docker's resolver answers it).
      network: { scope: "project", aliases: ["hello_primary"] },
      replicas: 2,
      volumes: [{ type: "volume", name: "data", target: "/data" }],
      resources: { cpus: 0.25, memoryBytes: 32 * 1024 * 1024 },
      restartPolicy: { name: "on-failure", maxRetries: 2 },
      labels: { "com.example.tier": "web" },
      ports: [{ containerPort: 9090 }],
    });
    const networkName = `berth-p-${spec.owner.projectId}`;
    const volumeName = `berth-${spec.owner.projectId}-data`;
    networks.push(networkName);
    volumes.push(volumeName);
    const release = await engine.runRelease(spec);

    expect(release.replicas?.map((r) => r.replica)).toEqual([0, 1]);
    const infos = await Promise.all((release.replicas ?? []).map((r) => docker.getContainer(r.containerId).inspect()));
    for (const info of infos) {
      expect(info.HostConfig.NanoCpus).toBe(250_000_000);
      expect(info.HostConfig.Memory).toBe(32 * 1024 * 1024);
      expect(info.HostConfig.RestartPolicy).toEqual({ Name: "on-failure", MaximumRetryCount: 2 });
      expect(info.Config.Labels["com.example.tier"]).toBe("web");
      expect(info.NetworkSettings.Networks[networkName]?.Aliases).toContain("hello");
      expect(info.Mounts.map((m) => [m.Type, m.Name, m.Destination])).toEqual([["volume", volumeName, "/data"]]);
      expect(info.NetworkSettings.Ports["9090/tcp"]?.[0]?.HostIp).toBe("127.0.0.1");
    }
    const network = await docker.getNetwork(networkName).inspect();
    expect(network.Labels).toMatchObject({
      "io.berth.managed-by": "berth",
      "io.berth.project": spec.owner.projectId,
      "io.berth.scope": "project",
    });
    expect((await docker.getVolume(volumeName).inspect()).Labels).toMatchObject({
      "io.berth.managed-by": "berth",
      "io.berth.volume": "data",
    });

    // Another container on the network reaches the service by its name and its alias.
    const probe = {
      ...spec,
      owner: { ...spec.owner, serviceId: uniqueId("s") },
      serviceName: "client",
      deploymentId: uniqueId("d"),
      replicas: 1,
      volumes: [],
      // Not the service's alias: the name must resolve to the service, not to this client.
      network: { scope: "project" as const },
      // Serves something else, so an answer from itself would not pass.
      env: { GREETING: "client" },
    };
    const client = await engine.runRelease(probe);
    for (const name of ["hello", "hello_primary"]) {
      const exec = await engine.exec(client.containerId, { cmd: ["wget", "-q", "-O", "-", `http://${name}:8080/`] });
      expect(exec.output).toBe("hello from berth\n");
      expect(exec.exitCode).toBe(0);
    }
    for (const r of release.replicas ?? []) expect((await httpGet(r.hostPort)).status).toBe(200);
  });

  it("waits for the image's HEALTHCHECK to report healthy", async () => {
    const spec = newRelease({ image: HEALTHCHECK_IMAGE });
    const release = await engine.runRelease(spec);
    const info = await docker.getContainer(release.containerId).inspect();
    expect((info.State as { Health?: { Status: string } }).Health?.Status).toBe("healthy");
  });

  it("fails with HEALTHCHECK_FAILED when the image's HEALTHCHECK reports unhealthy, even if an HTTP probe would pass", async () => {
    const spec = newRelease({ image: HEALTHCHECK_IMAGE, env: { HC_PATH: "missing" }, healthCheck: { type: "http", path: "/" } });
    const err = await rejectionOf(() => engine.runRelease(spec));
    expect(err.code).toBe("HEALTHCHECK_FAILED");
    expect(err.message).toMatch(/unhealthy/);
    expect(err.details?.lastProbe).toMatch(/^HEALTHCHECK exit 1: .*404/);
    expect(await engine.listManaged({ serviceId: spec.owner.serviceId })).toEqual([]);
  });

  it("runs the process as the spec's user and group in its working directory with its /dev/shm size and ulimits (compose's user:, working_dir:, shm_size, ulimits); refuses a user that is an option or a real-time ulimit", async () => {
    // The image's entry script writes to / (root's): serve what uid 1000 can read instead.
    const spec = newRelease({
      user: "1000:1000",
      workingDir: "/bin",
      shmSizeBytes: 128 * 1024 * 1024,
      ulimits: [{ name: "nofile", soft: 1024, hard: 2048 }],
      command: ["sh", "-c", "exec httpd -f -p 8080 -h ."],
    });
    const release = await engine.runRelease(spec);
    const id = await engine.exec(release.containerId, { cmd: ["sh", "-c", "echo $(id -u):$(id -g) $(pwd)"] });
    expect(id.output.trim()).toBe("1000:1000 /bin");
    // /dev/shm of the size asked (1K blocks), not the engine's 64 MiB.
    const shm = await engine.exec(release.containerId, { cmd: ["sh", "-c", "df -k /dev/shm | tail -1 | awk '{print $2}'"] });
    expect(shm.output.trim()).toBe(String(128 * 1024));
    // The service's own process (pid 1): an exec'd shell's soft limit may be raised to the hard one
    // by runc's Go runtime under load (a runc race), which says nothing of what Berth asked for.
    const nofile = await engine.exec(release.containerId, {
      cmd: ["sh", "-c", "awk '/^Max open files/ {print $4\":\"$5}' /proc/1/limits"],
    });
    expect(nofile.output.trim()).toBe("1024:2048");
    for (const hostile of [newRelease({ user: "--privileged" }), newRelease({ ulimits: [{ name: "rtprio", soft: 99, hard: 99 }] })]) {
      expect((await rejectionOf(() => engine.runRelease(hostile))).code).toBe("INVALID");
      expect(await engine.listManaged({ serviceId: hostile.owner.serviceId })).toEqual([]);
    }
  });

  it("rejects a hostile spec as INVALID before any engine call", async () => {
    const spec = newRelease({ volumes: [{ type: "bind", source: "/var/run/docker.sock", target: "/sock" }] });
    expect((await rejectionOf(() => engine.runRelease(spec))).code).toBe("INVALID");
    expect(await engine.listManaged({ serviceId: spec.owner.serviceId })).toEqual([]);
  });
});
