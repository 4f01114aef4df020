import { describe, expect, it } from "vitest";
import {
  buildContainerSpec,
  buildContainerUpdate,
  buildMounts,
  buildPorts,
  buildRestartPolicy,
  releaseNetworkName,
} from "./container-spec.ts";
import { limitsDrift } from "./limits-drift.ts";
import { buildHealthGate, imageHasHealthcheck } from "./health-gate.ts";
import type { ReleaseSpec } from "./port-types.ts";
import { canonicalJson, specHash } from "./spec-hash.ts";

const full: ReleaseSpec = {
  owner: { teamId: "t1", projectId: "proj1", serviceId: "svc1234567890" },
  deploymentId: "dep9876543210",
  serviceName: "api",
  image: "berth-test/app:2",
  containerPort: 8080,
  env: { B: "2", A: "1" },
  command: ["serve", "--port", "8080"],
  entrypoint: ["/bin/tini", "--"],
  ports: [{ containerPort: 9090 }, { containerPort: 5353, protocol: "udp", hostIp: "0.0.0.0", hostPort: 15353 }],
  volumes: [
    { type: "volume", name: "data", target: "/var/lib/app" },
    { type: "bind", source: "/srv/config", target: "/etc/app", readOnly: true },
  ],
  resources: { cpus: 0.5, memoryBytes: 256 * 1024 * 1024 },
  restartPolicy: { name: "on-failure", maxRetries: 4 },
  healthCheck: { type: "http", path: "/healthz", intervalMs: 200, timeoutMs: 1000, retries: 5 },
  labels: { "com.example.tier": "backend" },
  network: { scope: "project" },
  replicas: 2,
};

describe("buildContainerSpec with every option", () => {
  it("builds the exact create options of replica 1", () => {
    expect(buildContainerSpec(full, 1)).toEqual({
      name: "berth-api-svc12345-dep98765-r1",
      Image: "berth-test/app:2",
      Env: ["A=1", "B=2"],
      Cmd: ["serve", "--port", "8080"],
      Entrypoint: ["/bin/tini", "--"],
      Labels: {
        "com.example.tier": "backend",
        "io.berth.managed-by": "berth",
        "io.berth.team": "t1",
        "io.berth.project": "proj1",
        "io.berth.service": "svc1234567890",
        "io.berth.deployment": "dep9876543210",
        "io.berth.replica": "1",
        "io.berth.spec-hash": specHash(full),
      },
      ExposedPorts: { "8080/tcp": {}, "9090/tcp": {}, "5353/udp": {} },
      HostConfig: {
        PortBindings: {
          "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }],
          "9090/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }],
          "5353/udp": [{ HostIp: "0.0.0.0", HostPort: "15353" }],
        },
        RestartPolicy: { Name: "on-failure", MaximumRetryCount: 4 },
        Init: true,
        LogConfig: { Type: "json-file", Config: { "max-size": "10m", "max-file": "3" } },
        NanoCpus: 500_000_000,
        Memory: 268_435_456,
        MemorySwap: 268_435_456,
        Mounts: [
          { Type: "volume", Source: "berth-proj1-data", Target: "/var/lib/app", ReadOnly: false },
          { Type: "bind", Source: "/srv/config", Target: "/etc/app", ReadOnly: true },
        ],
        NetworkMode: "berth-p-proj1",
      },
      NetworkingConfig: { EndpointsConfig: { "berth-p-proj1": { Aliases: ["api"] } } },
    });
  });

  it("replica 0 keeps the historical name; a user label cannot override Berth's", () => {
    const spec = { ...full, labels: { "io.berth.team": "evil" } };
    const built = buildContainerSpec(spec, 0);
    expect(built.name).toBe("berth-api-svc12345-dep98765");
    expect(built.Labels?.["io.berth.team"]).toBe("t1");
  });

  it("a service-scoped network is named after the service; none means the default bridge", () => {
    expect(releaseNetworkName({ ...full, network: { scope: "service" } })).toBe("berth-s-svc1234567890");
    const { network: _n, ...noNetwork } = full;
    expect(releaseNetworkName(noNetwork)).toBeNull();
    const built = buildContainerSpec(noNetwork);
    expect(built.HostConfig?.NetworkMode).toBeUndefined();
    expect(built.NetworkingConfig).toBeUndefined();
  });

  it("builds restart policies, ports and mounts on their own", () => {
    expect(buildRestartPolicy(undefined)).toEqual({ Name: "unless-stopped" });
    expect(buildRestartPolicy({ name: "always" })).toEqual({ Name: "always" });
    expect(buildRestartPolicy({ name: "on-failure" })).toEqual({ Name: "on-failure", MaximumRetryCount: 0 });
    expect(buildPorts({ containerPort: 80 })).toEqual({
      exposed: { "80/tcp": {} },
      bindings: { "80/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] },
    });
    expect(buildPorts({ containerPort: 80, primaryHostPort: 20002 }).bindings).toEqual({
      "80/tcp": [{ HostIp: "127.0.0.1", HostPort: "20002" }],
    });
    expect(buildMounts("p", [{ type: "volume", name: "v", target: "/d", readOnly: true }])).toEqual([
      { Type: "volume", Source: "berth-p-v", Target: "/d", ReadOnly: true },
    ]);
  });
});

describe("specHash", () => {
  it("ignores key order and undefined fields but not values or array order", () => {
    const reordered = JSON.parse(JSON.stringify(full)) as ReleaseSpec;
    reordered.env = { A: "1", B: "2" };
    expect(specHash({ ...reordered, command: full.command, entrypoint: undefined } as ReleaseSpec)).toBe(
      specHash({ ...full, entrypoint: undefined } as ReleaseSpec),
    );
    expect(specHash({ ...full, env: { A: "1", B: "3" } })).not.toBe(specHash(full));
    expect(specHash({ ...full, command: ["--port", "8080", "serve"] })).not.toBe(specHash(full));
    expect(canonicalJson({ b: 1, a: [2, { d: 1, c: null }] })).toBe('{"a":[2,{"c":null,"d":1}],"b":1}');
  });
});

describe("buildHealthGate", () => {
  it("prefers the image HEALTHCHECK", () => {
    expect(buildHealthGate(full, true)).toEqual({ kind: "docker" });
  });
  it("uses the service's HTTP probe with its timing", () => {
    expect(buildHealthGate(full, false)).toEqual({
      kind: "http",
      port: 8080,
      path: "/healthz",
      expect: { min: 200, max: 399 },
      intervalMs: 200,
      timeoutMs: 1000,
      retries: 5,
      startPeriodMs: 0,
    });
  });
  it("uses a TCP probe with defaults", () => {
    expect(buildHealthGate({ serviceName: "web", containerPort: 80, healthCheck: { type: "tcp", port: 81 } }, false)).toEqual({
      kind: "tcp",
      port: 81,
      intervalMs: 500,
      timeoutMs: 2000,
      retries: 3,
      startPeriodMs: 0,
    });
    expect(buildHealthGate({ serviceName: "web", containerPort: 80 }, false)).toEqual({
      kind: "tcp",
      port: 80,
      intervalMs: 50,
      timeoutMs: 2000,
      retries: 3,
      startPeriodMs: 0,
    });
  });
  it("reads the image's Healthcheck.Test", () => {
    expect(imageHasHealthcheck(["CMD-SHELL", "true"])).toBe(true);
    expect(imageHasHealthcheck(["NONE"])).toBe(false);
    expect(imageHasHealthcheck(null)).toBe(false);
    expect(imageHasHealthcheck([])).toBe(false);
  });
});

describe("in-place updates", () => {
  it("builds the exact update body", () => {
    expect(buildContainerUpdate(full)).toEqual({
      NanoCpus: 500_000_000,
      Memory: 268_435_456,
      MemorySwap: 268_435_456,
      PidsLimit: 0,
      RestartPolicy: { Name: "on-failure", MaximumRetryCount: 4 },
    });
    expect(buildContainerUpdate({ resources: { pidsLimit: 256 } })).toMatchObject({ PidsLimit: 256 });
    expect(buildContainerUpdate({})).toEqual({
      NanoCpus: 0,
      Memory: 0,
      MemorySwap: 0,
      PidsLimit: 0,
      RestartPolicy: { Name: "unless-stopped" },
    });
  });

  it("limits and restart policy do not change the spec hash (they change in place); anything else does", () => {
    expect(specHash({ ...full, resources: { cpus: 2 }, restartPolicy: { name: "always" } })).toBe(specHash(full));
    expect(specHash({ ...full, image: "berth-test/app:3" })).not.toBe(specHash(full));
  });

  it("tells same, update in place and re-create apart", () => {
    const desired = buildContainerUpdate(full);
    const matching = { NanoCpus: 500_000_000, Memory: 268_435_456, RestartPolicy: { Name: "on-failure", MaximumRetryCount: 4 } };
    expect(limitsDrift(matching, desired)).toBe("same");
    expect(limitsDrift({ ...matching, Memory: 1 }, desired)).toBe("update");
    expect(limitsDrift({ ...matching, RestartPolicy: { Name: "always" } }, desired)).toBe("update");
    expect(limitsDrift(undefined, desired)).toBe("update");
    // A limit cannot be lifted in place.
    expect(limitsDrift(matching, buildContainerUpdate({ restartPolicy: full.restartPolicy }))).toBe("recreate");
    // PID limits: set or changed in place, lifted by a new container; null, 0 and -1 all mean none.
    const withPids = buildContainerUpdate({ ...full, resources: { ...full.resources, pidsLimit: 128 } });
    expect(limitsDrift({ ...matching, PidsLimit: 128 }, withPids)).toBe("same");
    expect(limitsDrift({ ...matching, PidsLimit: 64 }, withPids)).toBe("update");
    expect(limitsDrift(matching, withPids)).toBe("update");
    expect(limitsDrift({ ...matching, PidsLimit: 128 }, desired)).toBe("recreate");
    expect(limitsDrift({ ...matching, PidsLimit: -1 }, desired)).toBe("same");
    expect(limitsDrift({ ...matching, PidsLimit: 0 }, desired)).toBe("same");
  });
});

describe("host access (allowed by the instance owner)", () => {
  it("becomes the HostConfig's privileges and host namespaces; host networking replaces the project network", () => {
    const { containerPort: _p, ports: _ports, network: _n, ...worker } = full;
    const options = buildContainerSpec(
      {
        ...worker,
        hostAccess: {
          privileged: true,
          capAdd: ["NET_ADMIN"],
          devices: [{ hostPath: "/dev/fuse", containerPath: "/dev/fuse", permissions: "rwm" }],
          securityOpt: ["apparmor=unconfined"],
          hostNamespaces: ["network", "pid"],
        },
      },
      0,
    );
    expect(options.HostConfig).toMatchObject({
      Privileged: true,
      CapAdd: ["NET_ADMIN"],
      Devices: [{ PathOnHost: "/dev/fuse", PathInContainer: "/dev/fuse", CgroupPermissions: "rwm" }],
      SecurityOpt: ["apparmor=unconfined"],
      NetworkMode: "host",
      PidMode: "host",
    });
    expect(options.NetworkingConfig).toBeUndefined();
    expect(buildContainerSpec(full, 0).HostConfig?.Privileged).toBeUndefined();
  });
});
