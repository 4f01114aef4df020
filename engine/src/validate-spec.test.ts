import { describe, expect, it } from "vitest";
import { EngineError } from "./errors.ts";
import type { ReleaseSpec } from "./port-types.ts";
import { assertValidReleaseSpec } from "./validate.ts";
import { isCleanAbsolutePath } from "./validate-spec.ts";

const base: ReleaseSpec = {
  owner: { teamId: "t", projectId: "p", serviceId: "s" },
  deploymentId: "d",
  serviceName: "web",
  image: "app:1",
  containerPort: 8080,
  env: {},
};

function messageOf(extra: Partial<ReleaseSpec>): string {
  try {
    assertValidReleaseSpec({ ...base, ...extra });
  } catch (err) {
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe("INVALID");
    return (err as EngineError).message;
  }
  return "valid";
}

describe("assertValidReleaseSpec (optional parts)", () => {
  it("lets memlock past 64 MiB only with a memory limit (locked pages are charged to it)", () => {
    const unlimited = [{ name: "memlock", soft: -1, hard: -1 }];
    expect(messageOf({ ulimits: unlimited })).toMatch(/memlock above 64 MiB needs a memory limit/);
    expect(messageOf({ ulimits: [{ name: "memlock", soft: 1024, hard: 65 * 1024 * 1024 }] })).toMatch(/needs a memory limit/);
    expect(messageOf({ ulimits: unlimited, resources: { memoryBytes: 512 * 1024 * 1024 } })).toBe("valid");
    expect(messageOf({ ulimits: [{ name: "memlock", soft: 65536, hard: 64 * 1024 * 1024 }] })).toBe("valid");
  });

  it("accepts a full, sane spec", () => {
    expect(
      messageOf({
        ports: [{ containerPort: 9090, protocol: "udp" }],
        volumes: [
          { type: "volume", name: "data", target: "/data" },
          { type: "bind", source: "/srv/x y", target: "/x" },
        ],
        resources: { cpus: 1.5, memoryBytes: 64 * 1024 * 1024 },
        restartPolicy: { name: "on-failure", maxRetries: 3 },
        healthCheck: { type: "http", path: "/health?x=1", expectStatus: { min: 200, max: 204 } },
        labels: { "com.example.a": "$(rm -rf /)" },
        network: { scope: "service" },
        replicas: 3,
        entrypoint: ["--weird", "ünïcode"],
      }),
    ).toBe("valid");
  });

  it.each<[string, Partial<ReleaseSpec>, RegExp]>([
    ["a capability that is not one", { hostAccess: { capAdd: ["NET ADMIN"] } }, /hostAccess.capAdd\[0\]/],
    [
      "a relative device",
      { hostAccess: { devices: [{ hostPath: "dev/fuse", containerPath: "/dev/fuse", permissions: "rwm" }] } },
      /hostAccess.devices\[0\]/,
    ],
    ["host networking with a port", { hostAccess: { hostNamespaces: ["network"] } }, /host networking joins no Berth network/],
    ["replicas 0", { replicas: 0 }, /replicas/],
    ["replicas 21", { replicas: 21 }, /replicas/],
    ["bad container port", { ports: [{ containerPort: 0 }] }, /ports\[0\].containerPort/],
    ["duplicate port", { ports: [{ containerPort: 1 }, { containerPort: 1 }] }, /listed twice/],
    ["a port listed twice", { ports: [{ containerPort: 5432 }, { containerPort: 5432 }] }, /listed twice/],
    ["primary port repeated without a fixed host port", { ports: [{ containerPort: 8080 }] }, /primary port .* only with a fixed hostPort/],
    ["host ip", { ports: [{ containerPort: 1, hostIp: "localhost; rm" }] }, /hostIp/],
    ["fixed port with replicas", { replicas: 2, ports: [{ containerPort: 1, hostPort: 80 }] }, /cannot be shared/],
    ["fixed primary port 0", { primaryHostPort: 0 }, /primaryHostPort must be/],
    ["fixed primary port with replicas", { replicas: 2, primaryHostPort: 20000 }, /primaryHostPort: a fixed host port cannot be shared/],
    ["relative bind", { volumes: [{ type: "bind", source: "srv", target: "/x" }] }, /source/],
    ["dot-dot bind", { volumes: [{ type: "bind", source: "/srv/../etc", target: "/x" }] }, /source/],
    ["docker socket", { volumes: [{ type: "bind", source: "/var/run/docker.sock", target: "/x" }] }, /may not be bind-mounted/],
    ["root bind", { volumes: [{ type: "bind", source: "/", target: "/x" }] }, /may not be bind-mounted/],
    ["proc bind", { volumes: [{ type: "bind", source: "/proc/1", target: "/x" }] }, /may not be bind-mounted/],
    ["volume name", { volumes: [{ type: "volume", name: "../x", target: "/x" }] }, /name/],
    ["volume name dash", { volumes: [{ type: "volume", name: "-rf", target: "/x" }] }, /name/],
    ["root target", { volumes: [{ type: "volume", name: "v", target: "/" }] }, /target/],
    [
      "double target",
      {
        volumes: [
          { type: "volume", name: "v", target: "/a" },
          { type: "volume", name: "w", target: "/a" },
        ],
      },
      /twice/,
    ],
    ["cpus", { resources: { cpus: 0 } }, /cpus/],
    ["memory", { resources: { memoryBytes: 1024 } }, /memoryBytes/],
    ["restart", { restartPolicy: { name: "sometimes" } as never }, /restartPolicy/],
    ["health path", { healthCheck: { type: "http", path: "/a b\r\nHost: evil" } }, /path/],
    ["health retries", { healthCheck: { type: "tcp", retries: 0 } }, /retries/],
    ["health status", { healthCheck: { type: "http", path: "/", expectStatus: { min: 500, max: 200 } } }, /expectStatus/],
    ["reserved label", { labels: { "io.berth.team": "x" } }, /reserved/],
    ["label key", { labels: { "Bad Key": "x" } }, /keys are/],
    ["label NUL", { labels: { a: "x\0" } }, /NUL/],
    ["network", { network: { scope: "global" } as never }, /network.scope/],
    ["entrypoint", { entrypoint: [] }, /entrypoint/],
    ["pids limit too low", { resources: { pidsLimit: 15 } }, /pidsLimit must be 16-100000/],
    ["pids limit too high", { resources: { pidsLimit: 100_001 } }, /pidsLimit/],
    ["pids limit fraction", { resources: { pidsLimit: 20.5 } }, /pidsLimit/],
    ["primary host port on a worker", { containerPort: undefined, primaryHostPort: 20000 }, /without a containerPort publishes nothing/],
    ["primary host ports on a worker", { containerPort: undefined, primaryHostPorts: [20000] }, /without a containerPort/],
    ["both fixed port kinds", { primaryHostPort: 20000, primaryHostPorts: [20001] }, /exclusive/],
    ["host ports per replica: too few", { replicas: 3, primaryHostPorts: [20000, 20001] }, /one port per replica \(3\)/],
    ["host ports per replica: repeated", { replicas: 2, primaryHostPorts: [20000, 20000] }, /distinct/],
    ["host ports per replica: out of range", { replicas: 2, primaryHostPorts: [20000, 70000] }, /1-65535/],
    [
      "tcp check on a worker without a port",
      { containerPort: undefined, healthCheck: { type: "tcp" } },
      /healthCheck.port: a tcp check needs a port/,
    ],
    ["http check on a worker without a port", { containerPort: undefined, healthCheck: { type: "http", path: "/" } }, /needs a port/],
    ["empty health command", { healthCheck: { type: "command", command: [] } }, /healthCheck.command/],
    ["health command NUL", { healthCheck: { type: "command", command: ["a\0"] } }, /healthCheck.command arguments/],
    ["stable period negative", { healthCheck: { type: "running", stableMs: -1 } }, /stableMs/],
    ["stable period too long", { healthCheck: { type: "running", stableMs: 600_001 } }, /stableMs/],
    ["start period", { healthCheck: { type: "tcp", startPeriodMs: 1.5 } }, /startPeriodMs/],
    ["unknown health type", { healthCheck: { type: "magic" } as never }, /http, tcp, command or running/],
    ["alias with a space", { network: { scope: "project", aliases: ["my db"] } }, /network.aliases\[0\]/],
    ["alias with a leading dash", { network: { scope: "project", aliases: ["ok", "-db"] } }, /network.aliases\[1\]/],
    ["alias uppercase", { network: { scope: "project", aliases: ["DB"] } }, /A host name/],
    ["alias empty label", { network: { scope: "project", aliases: ["db..internal"] } }, /A host name/],
    ["alias too long", { network: { scope: "project", aliases: [`${"a".repeat(60)}.`.repeat(5).slice(0, 254)] } }, /A host name/],
    ["etc bind", { volumes: [{ type: "bind", source: "/etc", target: "/x" }] }, /\/etc is \/etc/],
    [
      "under var/lib/docker",
      { volumes: [{ type: "bind", source: "/var/lib/docker/volumes", target: "/x" }] },
      /is under \/var\/lib\/docker/,
    ],
    ["ancestor of var/run", { volumes: [{ type: "bind", source: "/var", target: "/x" }] }, /\/var contains \/var\/run/],
    ["berth data", { volumes: [{ type: "bind", source: "/var/lib/berth/caddy", target: "/x" }] }, /\/var\/lib\/berth/],
  ])("rejects %s", (_name, extra, pattern) => {
    expect(messageOf(extra)).toMatch(pattern);
  });

  it("accepts a worker (no containerPort) with a command or running check, pids limit, per-replica ports and aliases", () => {
    expect(messageOf({ containerPort: undefined })).toBe("valid");
    expect(messageOf({ containerPort: undefined, healthCheck: { type: "command", command: ["pg_isready"], startPeriodMs: 5000 } })).toBe(
      "valid",
    );
    expect(messageOf({ containerPort: undefined, healthCheck: { type: "running", stableMs: 2000 }, resources: { pidsLimit: 16 } })).toBe(
      "valid",
    );
    expect(messageOf({ containerPort: undefined, healthCheck: { type: "tcp", port: 6379 } })).toBe("valid");
    expect(messageOf({ replicas: 3, primaryHostPorts: [20001, 20002, 20003] })).toBe("valid");
    expect(messageOf({ ports: [{ containerPort: 8080, hostIp: "0.0.0.0", hostPort: 15432 }] })).toBe("valid");
    expect(messageOf({ network: { scope: "project", aliases: ["db.shop.internal", "db-1", "plausible_db"] } })).toBe("valid");
    expect(
      messageOf({
        volumes: [
          { type: "bind", source: "/srv/data", target: "/data" },
          { type: "bind", source: "/var/lib/app", target: "/b" },
        ],
      }),
    ).toBe("valid");
  });

  it("cleans absolute paths only", () => {
    expect(isCleanAbsolutePath("/a/b")).toBe(true);
    expect(isCleanAbsolutePath("/a//b")).toBe(false);
    expect(isCleanAbsolutePath("/a/./b")).toBe(false);
    expect(isCleanAbsolutePath("/a/")).toBe(false);
    expect(isCleanAbsolutePath("a")).toBe(false);
  });
});
