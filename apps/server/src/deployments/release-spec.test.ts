import { describe, expect, it } from "vitest";
import { DEFAULT_RUNTIME } from "../services/runtime-settings.ts";
import type { ReleaseConfig } from "./release-config.ts";
import { buildReleaseSpec, projectSlug } from "./release-spec.ts";
import { blockSizeFor, releasePorts, upstreamsOf } from "../proxy/upstream-ports.ts";

const target = {
  service: { id: "svc-1", name: "api" },
  project: { id: "0123456789abcdef", name: "My Shop!", teamId: "team-1" },
  deploymentId: "dep-1",
  image: "berth-test/hello:latest",
};
const web: ReleaseConfig = {
  kind: "web",
  containerPort: 8080,
  env: { A: "1" },
  runtime: DEFAULT_RUNTIME,
  replicas: 1,
  strategy: "start_first",
  volumes: [],
};

describe("release config -> engine spec", () => {
  it("always joins the project's network, with the service's name and an internal alias", () => {
    const spec = buildReleaseSpec(target, web);
    expect(spec.network).toEqual({ scope: "project", aliases: ["api.my-shop.internal"] });
    expect(spec.containerPort).toBe(8080);
    expect(spec.owner).toEqual({ teamId: "team-1", projectId: "0123456789abcdef", serviceId: "svc-1" });
    expect(spec.healthCheck).toBeUndefined();
    expect(spec.restartPolicy).toEqual({ name: "unless-stopped" });
  });

  it("passes command, entrypoint, user, limits, volumes and health checks through as data", () => {
    const spec = buildReleaseSpec(target, {
      ...web,
      runtime: {
        ...DEFAULT_RUNTIME,
        command: ["sh", "-c", "exec app"],
        entrypoint: ["/init"],
        user: "1000:1000",
        workingDir: "/srv/app",
        aliases: ["primary_db"],
        limits: { cpus: 0.5, memoryMb: 256, pidsLimit: 200, shmMb: 256 },
        ulimits: [{ name: "memlock", soft: -1, hard: -1 }],
        restartPolicy: "on-failure",
        healthCheck: {
          ...DEFAULT_RUNTIME.healthCheck,
          type: "http",
          path: "/healthz",
          expectStatus: "200-204",
          intervalS: 1,
          timeoutS: 3,
          retries: 4,
          startPeriodS: 10,
        },
      },
      volumes: [
        { name: "data", mountPath: "/data", readOnly: false, hostPath: null },
        { name: "conf", mountPath: "/conf", readOnly: true, hostPath: "/srv/conf" },
      ],
    });
    expect(spec.command).toEqual(["sh", "-c", "exec app"]);
    expect(spec.entrypoint).toEqual(["/init"]);
    expect(spec.user).toBe("1000:1000");
    expect(spec.workingDir).toBe("/srv/app");
    expect(spec.network?.aliases?.slice(1)).toEqual(["primary_db"]);
    expect(spec.shmSizeBytes).toBe(256 * 1024 * 1024);
    expect(spec.ulimits).toEqual([{ name: "memlock", soft: -1, hard: -1 }]);
    expect(spec.resources).toEqual({ cpus: 0.5, memoryBytes: 256 * 1024 * 1024, pidsLimit: 200 });
    expect(spec.restartPolicy).toEqual({ name: "on-failure", maxRetries: 5 });
    expect(spec.healthCheck).toEqual({
      type: "http",
      path: "/healthz",
      expectStatus: { min: 200, max: 204 },
      intervalMs: 1000,
      timeoutMs: 3000,
      retries: 4,
      startPeriodMs: 10000,
    });
    expect(spec.volumes).toEqual([
      { type: "volume", name: "data", target: "/data", readOnly: false },
      { type: "bind", source: "/srv/conf", target: "/conf", readOnly: true },
    ]);
  });

  it("a worker has no port and is ready once it ran a while without restarting", () => {
    const spec = buildReleaseSpec(
      { ...target, upstreamPorts: [20000] },
      { ...web, kind: "worker", containerPort: null, runtime: { ...DEFAULT_RUNTIME, workerStableS: 7 } },
    );
    expect(spec.containerPort).toBeUndefined();
    expect(spec.primaryHostPorts).toBeUndefined();
    expect(spec.healthCheck).toEqual({ type: "running", stableMs: 7000 });
    const withCommand = buildReleaseSpec(target, {
      ...web,
      kind: "worker",
      containerPort: null,
      runtime: { ...DEFAULT_RUNTIME, healthCheck: { ...DEFAULT_RUNTIME.healthCheck, type: "command", command: ["test", "-f", "/tmp/ok"] } },
    });
    expect(withCommand.healthCheck).toMatchObject({ type: "command", command: ["test", "-f", "/tmp/ok"] });
  });

  it("a TCP service publishes its port only where asked; web replicas get one upstream port each", () => {
    const tcp = buildReleaseSpec(target, {
      ...web,
      kind: "tcp",
      containerPort: 5432,
      runtime: { ...DEFAULT_RUNTIME, publish: { hostPort: 15432, bindAddress: "127.0.0.1" } },
    });
    expect(tcp.ports).toEqual([{ containerPort: 5432, hostIp: "127.0.0.1", hostPort: 15432 }]);
    expect(buildReleaseSpec(target, { ...web, kind: "tcp", containerPort: 5432 }).ports).toBeUndefined();
    const replicas = buildReleaseSpec({ ...target, upstreamPorts: releasePorts(20000, 3, 4) }, { ...web, replicas: 3 });
    expect(replicas.primaryHostPorts).toEqual([20000, 20002, 20004]);
    expect(replicas.replicas).toBe(3);
  });

  it("alternates each replica slot between its two ports; blocks grow once beyond one replica", () => {
    expect(releasePorts(20000, 2, 1)).toEqual([20001, 20003]);
    expect(releasePorts(20000, 2, 2)).toEqual([20000, 20002]);
    expect(blockSizeFor(1, 10)).toBe(2);
    expect(blockSizeFor(3, 10)).toBe(20);
    expect(upstreamsOf(20000)).toEqual(["127.0.0.1:20000", "127.0.0.1:20001"]);
    expect(upstreamsOf(20000, 4)).toHaveLength(4);
  });

  it("slugs project names into DNS labels", () => {
    expect(projectSlug("My Shop!", "0123456789")).toBe("my-shop");
    expect(projectSlug("   ", "0123456789")).toBe("p-01234567");
    expect(projectSlug("x".repeat(80), "0")).toHaveLength(63);
  });
});
