import { describe, expect, it } from "vitest";
import { computeCpuPercent, memoryInUse, parseEngineEvent, toStatsSample, type RawEvent, type RawStats } from "./observe-parse.ts";

const labels = {
  "io.berth.managed-by": "berth",
  "io.berth.team": "t",
  "io.berth.project": "p",
  "io.berth.service": "s",
  "io.berth.deployment": "d",
  name: "berth-web-s-d",
};

function event(action: string, extra: Record<string, string> = {}): RawEvent {
  return {
    Type: "container",
    Action: action,
    id: "abc",
    timeNano: 1_700_000_000_123_000_000,
    Actor: { ID: "abc", Attributes: { ...labels, ...extra } },
  };
}

describe("parseEngineEvent", () => {
  const base = {
    containerId: "abc",
    containerName: "berth-web-s-d",
    owner: { teamId: "t", projectId: "p", serviceId: "s" },
    deploymentId: "d",
    time: "2023-11-14T22:13:20.123Z",
  };
  it("types die (with exit code), kill, oom, start, destroy and health_status", () => {
    expect(parseEngineEvent(event("die", { exitCode: "137" }))).toEqual({ ...base, type: "die", exitCode: 137 });
    expect(parseEngineEvent(event("kill", { signal: "15" }))).toEqual({ ...base, type: "kill", signal: 15 });
    expect(parseEngineEvent(event("oom"))).toEqual({ ...base, type: "oom" });
    expect(parseEngineEvent(event("start"))).toEqual({ ...base, type: "start" });
    expect(parseEngineEvent(event("destroy"))).toEqual({ ...base, type: "destroy" });
    expect(parseEngineEvent(event("health_status: unhealthy"))).toEqual({ ...base, type: "health_status", status: "unhealthy" });
  });
  it("ignores other actions, other object types and containers Berth does not manage", () => {
    expect(parseEngineEvent(event("exec_start: sh"))).toBeNull();
    expect(parseEngineEvent({ ...event("die"), Type: "network" })).toBeNull();
    expect(parseEngineEvent({ Type: "container", Action: "die", Actor: { ID: "x", Attributes: { name: "foreign" } } })).toBeNull();
  });
});

describe("stats", () => {
  const s1: RawStats = {
    read: "t1",
    cpu_stats: { cpu_usage: { total_usage: 1_000 }, system_cpu_usage: 100_000, online_cpus: 2 },
    memory_stats: { usage: 5_000, limit: 10_000, stats: { inactive_file: 1_000 } },
    networks: { eth0: { rx_bytes: 10, tx_bytes: 20 }, eth1: { rx_bytes: 1, tx_bytes: 2 } },
  };
  const s2: RawStats = { ...s1, read: "t2", cpu_stats: { cpu_usage: { total_usage: 6_000 }, system_cpu_usage: 110_000, online_cpus: 2 } };
  it("computes CPU % from two consecutive samples of our own", () => {
    expect(computeCpuPercent(null, s1)).toBeNull();
    expect(computeCpuPercent(s1, s2)).toBe(100); // 5000/10000 * 2 CPUs * 100
    expect(computeCpuPercent(s2, s1)).toBeNull(); // counters went backwards: no number rather than a wrong one
  });
  it("subtracts the page cache (cgroup v2 inactive_file, v1 cache) from memory", () => {
    expect(memoryInUse(s1)).toBe(4_000);
    expect(memoryInUse({ memory_stats: { usage: 5_000, stats: { cache: 3_000 } } })).toBe(2_000);
  });
  it("builds a sample", () => {
    expect(toStatsSample(s1, s2)).toEqual({
      time: "t2",
      cpuPercent: 100,
      memoryBytes: 4_000,
      memoryLimitBytes: 10_000,
      networkRxBytes: 11,
      networkTxBytes: 22,
    });
  });
});
