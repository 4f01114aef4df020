import { describe, expect, it } from "vitest";
import { assertSafeBindMounts, bindSourcesProblem, forbiddenBindReason } from "./bind-sources.ts";
import type { ReleaseSpec } from "./port-types.ts";

describe("forbiddenBindReason", () => {
  it.each([
    ["/", "is /"],
    ["/etc", "is /etc"],
    ["/etc/ssl/private", "is under /etc"],
    ["/proc/self", "is under /proc"],
    ["/run/docker.sock", "is under /run"],
    ["/var/run/docker.sock", "is under /var/run"],
    ["/var/lib/docker", "is /var/lib/docker"],
    ["/var/lib/containerd/io", "is under /var/lib/containerd"],
    ["/var/lib/berth", "is /var/lib/berth"],
    ["/root/.ssh", "is under /root"],
    ["/usr/local/bin", "is under /usr"],
    ["/lib64", "is /lib64"],
    ["/var", "contains /var/run"],
    ["/var/lib", "contains /var/lib/docker"],
  ])("refuses %s (%s)", (path, reason) => {
    expect(forbiddenBindReason(path)).toBe(reason);
  });

  it.each(["/srv/app", "/home/me/data", "/var/lib/app", "/opt", "/mnt/disk", "/libx", "/etcetera", "/var/lib/dockerx"])(
    "allows %s",
    (path) => {
      expect(forbiddenBindReason(path)).toBeNull();
    },
  );
});

describe("bindSourcesProblem (realpath on the host)", () => {
  const resolveWith = (links: Record<string, string>) => async (p: string) => {
    const target = links[p];
    if (target === undefined) throw Object.assign(new Error("no such file"), { code: "ENOENT" });
    return target;
  };

  it("refuses a source whose realpath is forbidden, naming both paths", async () => {
    const problem = await bindSourcesProblem([{ type: "bind", source: "/srv/sock", target: "/x" }], {
      resolve: resolveWith({ "/srv/sock": "/run/docker.sock" }),
    });
    expect(problem).toBe("volumes[0].source /srv/sock resolves to /run/docker.sock, which is under /run and may not be bind-mounted");
  });

  it("refuses a missing source", async () => {
    const problem = await bindSourcesProblem(
      [
        { type: "volume", name: "v", target: "/v" },
        { type: "bind", source: "/srv/missing", target: "/x" },
      ],
      { resolve: resolveWith({}) },
    );
    expect(problem).toMatch(/^volumes\[1\]\.source \/srv\/missing cannot be bind-mounted: it does not resolve on the host \(ENOENT\)$/);
  });

  it("allows a source that resolves somewhere harmless, and refuses an extra path (the engine's socket)", async () => {
    const resolve = resolveWith({ "/srv/data": "/mnt/disk/data", "/srv/engine": "/srv/engine" });
    expect(await bindSourcesProblem([{ type: "bind", source: "/srv/data", target: "/x" }], { resolve })).toBeNull();
    expect(
      await bindSourcesProblem([{ type: "bind", source: "/srv/engine", target: "/x" }], { resolve, extraForbidden: ["/srv/engine"] }),
    ).toMatch(/is \/srv\/engine/);
  });

  it("refuses every bind mount on a remote engine, and checks with the engine's socket on a local one", async () => {
    const spec = { serviceName: "web", volumes: [{ type: "bind", source: "/srv/data", target: "/x" }] } as ReleaseSpec;
    await expect(assertSafeBindMounts({ local: null, target: "ssh://h" }, spec, "run release")).rejects.toMatchObject({
      code: "INVALID",
      message: /remote engine/,
    });
    const resolve = async (p: string) => p;
    await expect(
      assertSafeBindMounts({ local: { socketPath: "/srv/data" }, target: "unix" }, spec, "run release", resolve),
    ).rejects.toMatchObject({ code: "INVALID" });
    await expect(
      assertSafeBindMounts({ local: { socketPath: "/var/run/docker.sock" }, target: "unix" }, spec, "run release", resolve),
    ).resolves.toBeUndefined();
  });
});
