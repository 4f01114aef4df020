import { describe, expect, it } from "vitest";
import { EngineError } from "./errors.ts";
import type { ReleaseSpec } from "./port.ts";
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
  it("accepts a full, sane spec", () => {
    expect(
      messageOf({
        ports: [{ containerPort: 9090, protocol: "udp" }],
        volumes: [{ type: "volume", name: "data", target: "/data" }, { type: "bind", source: "/srv/x y", target: "/x" }],
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
    ["replicas 0", { replicas: 0 }, /replicas/],
    ["replicas 21", { replicas: 21 }, /replicas/],
    ["bad container port", { ports: [{ containerPort: 0 }] }, /ports\[0\].containerPort/],
    ["duplicate port", { ports: [{ containerPort: 1 }, { containerPort: 1 }] }, /listed twice/],
    ["primary port repeated", { ports: [{ containerPort: 8080 }] }, /primary port/],
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
    ["double target", { volumes: [{ type: "volume", name: "v", target: "/a" }, { type: "volume", name: "w", target: "/a" }] }, /twice/],
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
  ])("rejects %s", (_name, extra, pattern) => {
    expect(messageOf(extra)).toMatch(pattern);
  });

  it("cleans absolute paths only", () => {
    expect(isCleanAbsolutePath("/a/b")).toBe(true);
    expect(isCleanAbsolutePath("/a//b")).toBe(false);
    expect(isCleanAbsolutePath("/a/./b")).toBe(false);
    expect(isCleanAbsolutePath("/a/")).toBe(false);
    expect(isCleanAbsolutePath("a")).toBe(false);
  });
});
