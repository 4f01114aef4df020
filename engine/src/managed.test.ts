import type { ContainerInspectInfo } from "dockerode";
import { describe, expect, it } from "vitest";
import { buildReleaseLabels } from "./labels.ts";
import { publishedHostPort, toContainerState, toManagedContainer } from "./managed.ts";

function inspectInfo(patch: {
  labels?: Record<string, string>;
  status?: string;
  ports?: unknown;
  restartCount?: number;
}): ContainerInspectInfo {
  return {
    Id: "abc123",
    Name: "/berth-web-s1-d1",
    RestartCount: patch.restartCount ?? 0,
    State: { Status: patch.status ?? "running" },
    Config: { Labels: patch.labels ?? buildReleaseLabels({ teamId: "t1", projectId: "p1", serviceId: "s1" }, "d1") },
    NetworkSettings: { Ports: patch.ports ?? { "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: "49153" }] } },
  } as unknown as ContainerInspectInfo;
}

describe("toManagedContainer", () => {
  it("maps a managed container", () => {
    expect(toManagedContainer(inspectInfo({ restartCount: 2 }))).toEqual({
      containerId: "abc123",
      containerName: "berth-web-s1-d1",
      owner: { teamId: "t1", projectId: "p1", serviceId: "s1" },
      deploymentId: "d1",
      state: "running",
      hostPort: 49153,
      restartCount: 2,
    });
  });

  it("returns null for a container without Berth's label", () => {
    expect(toManagedContainer(inspectInfo({ labels: { "io.berth.service": "s1", "io.berth.deployment": "d1" } }))).toBeNull();
  });

  it("reports no host port for a stopped container", () => {
    const stopped = toManagedContainer(inspectInfo({ status: "exited", ports: {} }));
    expect(stopped?.state).toBe("exited");
    expect(stopped?.hostPort).toBeNull();
  });
});

describe("publishedHostPort", () => {
  it("prefers the loopback binding of the asked port", () => {
    const info = inspectInfo({
      ports: {
        "8080/tcp": [
          { HostIp: "0.0.0.0", HostPort: "1111" },
          { HostIp: "127.0.0.1", HostPort: "2222" },
        ],
        "9090/tcp": [{ HostIp: "127.0.0.1", HostPort: "3333" }],
      },
    });
    expect(publishedHostPort(info, 8080)).toBe(2222);
    expect(publishedHostPort(info, 9090)).toBe(3333);
    expect(publishedHostPort(info, 7070)).toBeNull();
  });

  it("handles unpublished and empty bindings", () => {
    expect(publishedHostPort(inspectInfo({ ports: { "8080/tcp": null } }), 8080)).toBeNull();
    expect(publishedHostPort(inspectInfo({ ports: { "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] } }), 8080)).toBeNull();
  });
});

describe("toContainerState", () => {
  it("keeps known states and maps unknown ones to dead", () => {
    expect(toContainerState("paused")).toBe("paused");
    expect(toContainerState("weird")).toBe("dead");
    expect(toContainerState(undefined)).toBe("dead");
  });
});
