import { describe, expect, it } from "vitest";
import { durationSeconds, listOrDict, readMount, readPort, sizeMiB } from "./compose-values.ts";

describe("compose values", () => {
  it("reads Go durations as whole seconds, rounded up", () => {
    expect(durationSeconds("1m30s")).toBe(90);
    expect(durationSeconds("500ms")).toBe(1);
    expect(durationSeconds("2.5s")).toBe(3);
    expect(durationSeconds("1h")).toBe(3600);
    expect(durationSeconds("0")).toBe(0);
    expect(durationSeconds("10")).toBeNull();
    expect(durationSeconds("10s garbage")).toBeNull();
  });

  it("reads sizes as MiB", () => {
    expect(sizeMiB("512m")).toBe(512);
    expect(sizeMiB("1g")).toBe(1024);
    expect(sizeMiB("1GB")).toBe(1024);
    expect(sizeMiB("1536k")).toBe(2);
    expect(sizeMiB(1048576)).toBe(1);
    expect(sizeMiB("lots")).toBeNull();
  });

  it("reads lists and mappings of KEY=VALUE", () => {
    expect(listOrDict(["A=1", "B=x=y", "C"])).toEqual([
      ["A", "1"],
      ["B", "x=y"],
      ["C", null],
    ]);
    expect(listOrDict({ A: 1, B: true, C: null })).toEqual([
      ["A", "1"],
      ["B", "true"],
      ["C", null],
    ]);
  });

  it("reads port mappings", () => {
    expect(readPort(3000)).toEqual({ target: 3000, published: null, hostIp: null, protocol: "tcp" });
    expect(readPort("8080:80")).toEqual({ target: 80, published: 8080, hostIp: null, protocol: "tcp" });
    expect(readPort("127.0.0.1:5432:5432")).toEqual({ target: 5432, published: 5432, hostIp: "127.0.0.1", protocol: "tcp" });
    expect(readPort("[::1]:6001:6001")).toMatchObject({ hostIp: "::1", target: 6001 });
    expect(readPort("53:53/udp")).toMatchObject({ protocol: "udp" });
    expect(readPort({ target: 80, published: "8080", host_ip: "0.0.0.0" })).toEqual({
      target: 80,
      published: 8080,
      hostIp: "0.0.0.0",
      protocol: "tcp",
    });
    expect(readPort("9090-9091:8080-8081")).toMatch(/ranges/);
    expect(readPort("http")).toMatch(/not a port mapping/);
  });

  it("reads volume mounts", () => {
    expect(readMount("data:/var/lib/data:ro")).toEqual({ type: "volume", source: "data", target: "/var/lib/data", readOnly: true });
    expect(readMount("./conf:/etc/conf")).toMatchObject({ type: "bind", source: "./conf" });
    expect(readMount("/var/run/docker.sock:/var/run/docker.sock")).toMatchObject({ type: "bind" });
    expect(readMount("/cache")).toEqual({ type: "volume", source: null, target: "/cache", readOnly: false });
    expect(readMount({ type: "tmpfs", target: "/tmp" })).toMatchObject({ type: "tmpfs" });
  });
});
