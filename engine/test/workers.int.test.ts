/**
 * Workers and health gates on the real engine: a release without a port (running gate),
 * command gates (start period, timeout), and the PID limit (set, updated in place).
 */
import { describe, expect, it } from "vitest";
import { rejectionOf, useTestTeam } from "./support/hello-image.ts";

const { engine, docker, newRelease } = useTestTeam();

const LOOP = ["sh", "-c", "while true; do sleep 1; done"];

describe("workers (no containerPort)", () => {
  it("runs without publishing anything and is ready once it ran stableMs", async () => {
    const spec = newRelease({ containerPort: undefined, command: LOOP, healthCheck: { type: "running", stableMs: 1500 } });
    const started = Date.now();
    const release = await engine.runRelease(spec);
    const tookMs = Date.now() - started;
    expect(release.hostPort).toBeNull();
    expect(release.replicas?.[0]?.hostPort).toBeNull();
    expect(tookMs).toBeGreaterThanOrEqual(1500);
    const info = await docker.getContainer(release.containerId).inspect();
    expect(info.State.Running).toBe(true);
    expect(info.HostConfig.PortBindings).toEqual({});
    // The image EXPOSEs 8080: listed, but bound to nothing.
    expect(Object.values(info.NetworkSettings.Ports ?? {}).every((b) => b === null)).toBe(true);
    console.log(`worker running gate (1.5 s) passed after ${tookMs} ms`);
  });

  it("defaults to running for 5 s; reconcile adopts the worker that has run it without waiting again", async () => {
    const spec = newRelease({ containerPort: undefined, command: LOOP });
    const started = Date.now();
    const release = await engine.runRelease(spec);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5000);
    expect(release.hostPort).toBeNull();

    const adopting = Date.now();
    const result = await engine.ensureService(spec);
    expect(result.changed).toBe(false);
    expect(result.release.containerId).toBe(release.containerId);
    expect(result.release.hostPort).toBeNull();
    // A reconcile that waited the stable period again could not return before 5 s; adopting is a
    // few engine calls. (The gate counting from StartedAt: readiness.test.ts, without a clock.)
    expect(Date.now() - adopting).toBeLessThan(5000);
  });

  it("fails at once when the worker exits (or restarts) before its stable period", async () => {
    const stableMs = 60_000;
    const spec = newRelease({
      containerPort: undefined,
      command: ["sh", "-c", "sleep 0.3; exit 3"],
      healthCheck: { type: "running", stableMs },
    });
    const started = Date.now();
    const err = await rejectionOf(() => engine.runRelease(spec));
    expect(err.code).toBe("HEALTHCHECK_FAILED");
    expect(err.message).toMatch(/exited with code 3|restarted/);
    // Not at the end of the stable period (a gate that only looked then would take a minute).
    expect(Date.now() - started).toBeLessThan(stableMs);
    expect(await engine.listManaged({ serviceId: spec.owner.serviceId })).toEqual([]);
  });
});

describe("command health checks", () => {
  const becomesReady = ["sh", "-c", "sleep 1.5; touch /ready; while true; do sleep 1; done"];
  const check = { type: "command" as const, command: ["test", "-f", "/ready"], intervalMs: 200, retries: 1 };

  it("passes once the command exits 0; failures inside the start period do not count", async () => {
    const spec = newRelease({ containerPort: undefined, command: becomesReady, healthCheck: { ...check, startPeriodMs: 5_000 } });
    const release = await engine.runRelease(spec);
    expect(release.hostPort).toBeNull();
    const exec = await engine.exec(release.containerId, { cmd: ["test", "-f", "/ready"] });
    expect(exec.exitCode).toBe(0);
  });

  it("fails after `retries` failed runs without a start period, with the command's verdict", async () => {
    const spec = newRelease({ containerPort: undefined, command: becomesReady, healthCheck: check });
    const err = await rejectionOf(() => engine.runRelease(spec));
    expect(err.code).toBe("HEALTHCHECK_FAILED");
    expect(err.message).toMatch(/failed 1 health probe/);
    expect(err.details?.lastProbe).toBe("command test -f /ready: exit 1");
  });

  it("counts a command that does not finish within timeoutMs as failed", async () => {
    const spec = newRelease({ healthCheck: { type: "command", command: ["sleep", "60"], timeoutMs: 300, retries: 1 } });
    const started = Date.now();
    const err = await rejectionOf(() => engine.runRelease(spec));
    expect(err.code).toBe("HEALTHCHECK_FAILED");
    expect(err.details?.lastProbe).toBe("command sleep 60: did not finish within 300 ms");
    // Cut off, not waited for: a probe that ran to its end would take 60 s.
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});

describe("PID limit", () => {
  it("sets HostConfig.PidsLimit and changes it in place", async () => {
    const spec = newRelease({ resources: { pidsLimit: 32 } });
    const release = await engine.runRelease(spec);
    expect((await docker.getContainer(release.containerId).inspect()).HostConfig.PidsLimit).toBe(32);
    const result = await engine.ensureService({ ...spec, resources: { pidsLimit: 64 } });
    expect(result.release.containerId).toBe(release.containerId);
    expect(result.changed).toBe(true);
    expect((await docker.getContainer(release.containerId).inspect()).HostConfig.PidsLimit).toBe(64);
    // The kernel enforces it: the container's cgroup says so.
    const max = await engine.exec(release.containerId, {
      cmd: ["sh", "-c", "cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max"],
    });
    expect(max.output.trim()).toBe("64");
  });
});
