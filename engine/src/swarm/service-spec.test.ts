import { describe, expect, it } from "vitest";
import type { ReleaseSpec } from "../port-types.ts";
import { specHash } from "../spec-hash.ts";
import { buildSwarmHealthcheck, buildSwarmRestartPolicy, buildSwarmServiceSpec } from "./service-spec.ts";
import { hopelessTaskReason } from "./swarm-waits.ts";
import { assertValidReleaseExtras } from "../validate-spec.ts";

const spec: ReleaseSpec = {
  owner: { teamId: "t1", projectId: "proj1", serviceId: "svc1234567890" },
  deploymentId: "dep1",
  serviceName: "api",
  image: "berth-test/app:2",
  containerPort: 8080,
  env: { B: "2", A: "1" },
  command: ["serve"],
  resources: { cpus: 0.5, memoryBytes: 64 * 1024 * 1024 },
  healthCheck: { type: "http", path: "/healthz", intervalMs: 300, retries: 2 },
  volumes: [{ type: "volume", name: "data", target: "/data" }],
  replicas: 3,
};

describe("buildSwarmServiceSpec", () => {
  it("updates stop-first when asked (one task owning a data directory), start-first otherwise", () => {
    expect(buildSwarmServiceSpec(spec, { graceSeconds: 5, order: "stop-first" }).UpdateConfig.Order).toBe("stop-first");
    expect(buildSwarmServiceSpec(spec, { graceSeconds: 5 }).UpdateConfig.Order).toBe("start-first");
    const bind = buildSwarmServiceSpec({ ...spec, volumes: [{ type: "bind", source: "/srv/x", target: "/x" }] }, { graceSeconds: 5 });
    expect(bind.TaskTemplate.ContainerSpec.Mounts).toEqual([{ Type: "bind", Source: "/srv/x", Target: "/x", ReadOnly: false }]);
  });

  it("builds the exact service spec: start-first, rollback, overlay with the service alias, dnsrr", () => {
    const labels = {
      "io.berth.managed-by": "berth",
      "io.berth.team": "t1",
      "io.berth.project": "proj1",
      "io.berth.service": "svc1234567890",
      "io.berth.deployment": "dep1",
      "io.berth.spec-hash": specHash(spec),
    };
    const update = {
      Parallelism: 1,
      Delay: 0,
      FailureAction: "rollback",
      Monitor: 2_000_000_000,
      MaxFailureRatio: 0,
      Order: "start-first",
    };
    expect(buildSwarmServiceSpec(spec, { graceSeconds: 5 })).toEqual({
      Name: "berth-api-svc12345",
      Labels: labels,
      TaskTemplate: {
        ContainerSpec: {
          Image: "berth-test/app:2",
          Labels: labels,
          Env: ["A=1", "B=2"],
          Args: ["serve"],
          Mounts: [
            {
              Type: "volume",
              Source: "berth-proj1-data",
              Target: "/data",
              ReadOnly: false,
              // The node that runs the task creates the volume labelled as a single server would.
              VolumeOptions: {
                Labels: { "io.berth.managed-by": "berth", "io.berth.team": "t1", "io.berth.project": "proj1", "io.berth.volume": "data" },
              },
            },
          ],
          Healthcheck: {
            Test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/healthz"],
            Interval: 300_000_000,
            Timeout: 2_000_000_000,
            Retries: 2,
            StartPeriod: 0,
          },
          Init: true,
          StopGracePeriod: 5_000_000_000,
        },
        Resources: { Limits: { NanoCPUs: 500_000_000, MemoryBytes: 67_108_864 } },
        RestartPolicy: { Condition: "any" },
        Networks: [{ Target: "berth-o-proj1", Aliases: ["api"] }],
      },
      Mode: { Replicated: { Replicas: 3 } },
      UpdateConfig: update,
      RollbackConfig: { ...update, FailureAction: "pause" },
      EndpointSpec: { Mode: "dnsrr" },
    });
  });

  it("runs as the spec's user in its working directory, with its /dev/shm as a tmpfs of that size (a Swarm service has no ShmSize)", () => {
    const { volumes: _v, ...noVolumes } = spec;
    const container = buildSwarmServiceSpec(
      {
        ...noVolumes,
        user: "999:999",
        workingDir: "/srv",
        shmSizeBytes: 256 * 1024 * 1024,
        ulimits: [{ name: "nofile", soft: 1024, hard: 2048 }],
      },
      { graceSeconds: 1 },
    ).TaskTemplate.ContainerSpec;
    expect(container).toMatchObject({ User: "999:999", Dir: "/srv", Ulimits: [{ Name: "nofile", Soft: 1024, Hard: 2048 }] });
    expect(container.Mounts).toEqual([{ Type: "tmpfs", Target: "/dev/shm", TmpfsOptions: { SizeBytes: 256 * 1024 * 1024 } }]);
  });

  it("leaves the image's HEALTHCHECK alone when no probe is set, and maps TCP probes and restart policies", () => {
    const { healthCheck: _h, ...plain } = spec;
    expect(buildSwarmServiceSpec(plain, { graceSeconds: 1 }).TaskTemplate.ContainerSpec).not.toHaveProperty("Healthcheck");
    expect(buildSwarmHealthcheck(80, { type: "tcp" })?.Test).toEqual([
      "CMD-SHELL",
      "nc -z 127.0.0.1 80 2>/dev/null || nc 127.0.0.1 80 </dev/null 2>/dev/null || bash -c ': >/dev/tcp/127.0.0.1/80'",
    ]);
    expect(buildSwarmRestartPolicy({ name: "no" })).toEqual({ Condition: "none" });
    expect(buildSwarmRestartPolicy({ name: "on-failure", maxRetries: 2 })).toEqual({ Condition: "on-failure", MaxAttempts: 2 });
    expect(buildSwarmRestartPolicy({ name: "unless-stopped" })).toEqual({ Condition: "any" });
  });
});

describe("placement constraints", () => {
  it("go into the task template's Placement only when set, and into the spec hash", () => {
    const pinned = { ...spec, placementConstraints: ["node.labels.zone==eu", "node.role!=manager"] };
    expect(buildSwarmServiceSpec(pinned, { graceSeconds: 5 }).TaskTemplate).toMatchObject({
      Placement: { Constraints: ["node.labels.zone==eu", "node.role!=manager"] },
    });
    expect(buildSwarmServiceSpec(spec, { graceSeconds: 5 }).TaskTemplate).not.toHaveProperty("Placement");
    expect(specHash(pinned)).not.toBe(specHash(spec));
  });
});

describe("hopelessTaskReason", () => {
  it("names a placement no node satisfies and an image a node lacks; a task still starting is not hopeless", () => {
    expect(hopelessTaskReason([{ DesiredState: "running", Status: { State: "preparing" } }])).toBeNull();
    expect(
      hopelessTaskReason([
        {
          DesiredState: "running",
          Status: { State: "pending", Err: "no suitable node (scheduling constraints not satisfied on 3 nodes)" },
        },
      ]),
    ).toMatch(/^no node satisfies the service's placement \(no suitable node/);
    expect(
      hopelessTaskReason([{ DesiredState: "shutdown", Status: { State: "rejected", Err: "No such image: berth-test/app:2" } }]),
    ).toMatch(/a node does not have the image/);
  });
});

describe("assertValidReleaseExtras placementConstraints", () => {
  it("refuses a constraint that is not node.<attribute>==value", () => {
    expect(() => assertValidReleaseExtras({ ...spec, placementConstraints: ["node.labels.zone==eu"] }, "t")).not.toThrow();
    for (const bad of ["engine.labels.x==1", "node.labels.zone==a b", 'node.labels.zone=="x"', "node.hostname=x"])
      expect(() => assertValidReleaseExtras({ ...spec, placementConstraints: [bad] }, "t")).toThrow(/placementConstraints\[0\]/);
  });
});
