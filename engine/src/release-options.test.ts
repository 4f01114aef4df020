import { describe, expect, it } from "vitest";
import { buildContainerSpec, buildPorts, extraPrimaryHostPorts } from "./container-spec.ts";
import { publishedHostPort } from "./managed.ts";
import { commandVerdict } from "./gate-probes.ts";
import { buildHealthGate, DEFAULT_WORKER_STABLE_MS } from "./health-gate.ts";
import type { ReleaseSpec } from "./port-types.ts";
import { gateDeadlineMs, RUNNING_GATE_SLACK_MS } from "./readiness.ts";
import { buildSwarmHealthcheck } from "./swarm/service-spec.ts";
import { toManagedVolumes } from "./volume-admin.ts";

const worker: ReleaseSpec = {
  owner: { teamId: "t1", projectId: "proj1", serviceId: "svc1234567890" },
  deploymentId: "dep9876543210",
  serviceName: "jobs",
  image: "berth-test/app:2",
  env: {},
};

describe("a worker without a containerPort", () => {
  it("publishes nothing (extras only)", () => {
    expect(buildPorts(worker)).toEqual({ exposed: {}, bindings: {} });
    const spec = buildContainerSpec(worker);
    expect(spec.ExposedPorts).toEqual({});
    expect(spec.HostConfig?.PortBindings).toEqual({});
    expect(buildPorts({ ...worker, ports: [{ containerPort: 6379 }] }).exposed).toEqual({ "6379/tcp": {} });
  });

  it("is gated by running for 5 s by default; an explicit gate or the image's HEALTHCHECK wins", () => {
    expect(buildHealthGate(worker, false)).toEqual({ kind: "running", stableMs: DEFAULT_WORKER_STABLE_MS });
    expect(DEFAULT_WORKER_STABLE_MS).toBe(5000);
    expect(buildHealthGate({ ...worker, healthCheck: { type: "running", stableMs: 1500 } }, false)).toEqual({
      kind: "running",
      stableMs: 1500,
    });
    expect(buildHealthGate(worker, true)).toEqual({ kind: "docker" });
  });

  it("refuses to build a TCP gate without a port", () => {
    expect(() => buildHealthGate({ ...worker, healthCheck: { type: "tcp" } }, false)).toThrow(/needs a port/);
  });
});

describe("health gates", () => {
  it("builds a command gate with its timing and start period", () => {
    const spec = {
      ...worker,
      healthCheck: {
        type: "command" as const,
        command: ["pg_isready", "-q"],
        intervalMs: 300,
        timeoutMs: 1000,
        retries: 2,
        startPeriodMs: 4000,
      },
    };
    expect(buildHealthGate(spec, false)).toEqual({
      kind: "command",
      command: ["pg_isready", "-q"],
      intervalMs: 300,
      timeoutMs: 1000,
      retries: 2,
      startPeriodMs: 4000,
    });
  });

  it("judges a command by its exit code, with the output's tail", () => {
    expect(commandVerdict(["true"], 0, "")).toEqual({ outcome: "ok", detail: "command true: exit 0" });
    expect(commandVerdict(["sh", "-c", "exit 3"], 3, " nope \n")).toEqual({
      outcome: "failed",
      detail: "command sh -c exit 3: exit 3: nope",
    });
    expect(commandVerdict(["x"], null, "")).toMatchObject({ outcome: "failed", detail: "command x: no exit code" });
    expect(commandVerdict(["x"], 1, "a".repeat(1000)).detail.length).toBeLessThan(400);
  });

  it("never cuts a running gate off before its stable period can pass", () => {
    expect(gateDeadlineMs({ kind: "running", stableMs: 5000 }, 30_000)).toBe(30_000);
    expect(gateDeadlineMs({ kind: "running", stableMs: 60_000 }, 30_000)).toBe(60_000 + RUNNING_GATE_SLACK_MS);
    expect(gateDeadlineMs({ kind: "tcp", port: 1, intervalMs: 1, timeoutMs: 1, retries: 1, startPeriodMs: 0 }, 30_000)).toBe(30_000);
  });

  it("gives Swarm a command check as CMD argv and no check for running", () => {
    expect(buildSwarmHealthcheck(undefined, { type: "command", command: ["pg_isready"], startPeriodMs: 2000 })).toMatchObject({
      Test: ["CMD", "pg_isready"],
      StartPeriod: 2000 * 1_000_000,
    });
    expect(buildSwarmHealthcheck(undefined, { type: "running", stableMs: 1000 })).toBeUndefined();
  });
});

describe("fixed host ports per replica", () => {
  it("binds replica i to primaryHostPorts[i] on 127.0.0.1", () => {
    const spec = { ...worker, containerPort: 8080, replicas: 3, primaryHostPorts: [21001, 21002, 21003] };
    expect([0, 1, 2].map((r) => buildPorts(spec, r).bindings["8080/tcp"])).toEqual([
      [{ HostIp: "127.0.0.1", HostPort: "21001" }],
      [{ HostIp: "127.0.0.1", HostPort: "21002" }],
      [{ HostIp: "127.0.0.1", HostPort: "21003" }],
    ]);
    expect(buildContainerSpec(spec, 2).HostConfig?.PortBindings).toEqual({ "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: "21003" }] });
  });
});

describe("a TCP service published on a fixed host address", () => {
  it("binds the primary port twice: 127.0.0.1:<random> and the listed hostIp:hostPort", () => {
    const spec = { ...worker, containerPort: 5432, ports: [{ containerPort: 5432, hostIp: "0.0.0.0", hostPort: 15432 }] };
    expect(buildPorts(spec)).toEqual({
      exposed: { "5432/tcp": {} },
      bindings: {
        "5432/tcp": [
          { HostIp: "127.0.0.1", HostPort: "" },
          { HostIp: "0.0.0.0", HostPort: "15432" },
        ],
      },
    });
  });

  it("reports the release's own binding as hostPort, passing over the extra fixed one", () => {
    const spec = {
      ...worker,
      containerPort: 5432,
      ports: [
        { containerPort: 5432, hostPort: 15432 },
        { containerPort: 9000, hostPort: 19000 },
      ],
    };
    expect(extraPrimaryHostPorts(spec)).toEqual([15432]);
    const info = {
      NetworkSettings: {
        Ports: {
          "5432/tcp": [
            { HostIp: "127.0.0.1", HostPort: "15432" },
            { HostIp: "127.0.0.1", HostPort: "40001" },
          ],
        },
      },
    } as never;
    expect(publishedHostPort(info, 5432, extraPrimaryHostPorts(spec))).toBe(40001);
    expect(publishedHostPort(info, 5432)).toBe(15432);
  });
});

describe("network aliases, PID limit", () => {
  it("adds the aliases after the service name and sets PidsLimit", () => {
    const spec = buildContainerSpec({
      ...worker,
      network: { scope: "project", aliases: ["jobs.shop.internal"] },
      resources: { pidsLimit: 64 },
    });
    expect(spec.NetworkingConfig).toEqual({ EndpointsConfig: { "berth-p-proj1": { Aliases: ["jobs", "jobs.shop.internal"] } } });
    expect(spec.HostConfig?.PidsLimit).toBe(64);
    expect(buildContainerSpec(worker).HostConfig?.PidsLimit).toBeUndefined();
  });
});

describe("toManagedVolumes", () => {
  const berth = (project: string, name: string) => ({
    Name: `berth-${project}-${name}`,
    Labels: { "io.berth.managed-by": "berth", "io.berth.project": project, "io.berth.volume": name },
  });

  it("lists Berth's volumes with sizes (unknown: null) and the containers using them", () => {
    const volumes = [berth("p2", "data"), berth("p1", "pg"), { Name: "foreign", Labels: { "io.berth.volume": "x" } }, berth("p1", "cache")];
    const usage = [
      { Name: "berth-p1-pg", UsageData: { Size: 4096 } },
      { Name: "berth-p1-cache", UsageData: { Size: -1 } },
    ];
    const containers = [
      { Names: ["/berth-db-1"], Mounts: [{ Type: "volume", Name: "berth-p1-pg" }] },
      { Names: ["/berth-backup"], Mounts: [{ Type: "volume", Name: "berth-p1-pg" }, { Type: "bind" }] },
      { Names: ["/other"], Mounts: [{ Type: "volume", Name: "foreign" }] },
    ];
    expect(toManagedVolumes(volumes, usage, containers)).toEqual([
      { name: "cache", volumeName: "berth-p1-cache", projectId: "p1", sizeBytes: null, usedBy: [] },
      { name: "pg", volumeName: "berth-p1-pg", projectId: "p1", sizeBytes: 4096, usedBy: ["berth-backup", "berth-db-1"] },
      { name: "data", volumeName: "berth-p2-data", projectId: "p2", sizeBytes: null, usedBy: [] },
    ]);
  });
});
