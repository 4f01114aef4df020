import { describe, expect, it } from "vitest";
import { deriveServiceStatus, type StatusInput } from "./service-status.ts";

const quiet = { dies: 0, lastOomAt: null };
const input = (over: Partial<StatusInput>): StatusInput => ({
  desiredState: "running",
  latest: { status: "succeeded", error: null },
  liveDeploymentId: "d1",
  containers: [],
  events: quiet,
  ...over,
});
const running = { deploymentId: "d1", state: "running" as const, restartCount: 0 };

describe("deriveServiceStatus", () => {
  it("running: the live release's container runs", () => {
    expect(deriveServiceStatus(input({ containers: [running] }))).toEqual({
      status: "running",
      restartCount: 0,
      attention: [],
      containerUp: true,
      startBlocked: "It is already running",
    });
  });

  it("deploying while the latest deployment is queued or in progress, whatever runs", () => {
    for (const status of ["queued", "cloning", "building", "releasing"] as const) {
      expect(deriveServiceStatus(input({ latest: { status, error: null }, containers: [running] })).status).toBe("deploying");
    }
  });

  it("failed: the latest deployment failed and nothing runs; a running older release stays running but needs attention", () => {
    const failed = { status: "failed" as const, error: "HEALTHCHECK_FAILED" };
    const alone = deriveServiceStatus(input({ latest: failed, liveDeploymentId: null }));
    expect(alone.status).toBe("failed");
    expect(alone.attention).toEqual([{ kind: "deploy_failed", message: "Last deployment failed: HEALTHCHECK_FAILED" }]);
    const withOld = deriveServiceStatus(input({ latest: failed, containers: [running] }));
    expect(withOld.status).toBe("running");
    expect(withOld.attention.map((a) => a.kind)).toEqual(["deploy_failed"]);
    expect(deriveServiceStatus(input({ latest: { status: "timed_out", error: null }, liveDeploymentId: null })).attention[0]?.message).toBe(
      "Last deployment timed out",
    );
  });

  it("stopped when the user stopped it; exited (needs attention) when it should run", () => {
    const exited = { ...running, state: "exited" as const };
    expect(deriveServiceStatus(input({ desiredState: "stopped", containers: [exited] }))).toEqual({
      status: "stopped",
      restartCount: 0,
      attention: [],
      containerUp: false,
      startBlocked: null,
    });
    expect(deriveServiceStatus(input({ desiredState: "stopped", containers: [] })).status).toBe("stopped");
    const unexpected = deriveServiceStatus(input({ containers: [exited] }));
    expect(unexpected.status).toBe("exited");
    expect(unexpected.attention.map((a) => a.kind)).toEqual(["exited"]);
  });

  it("restarting once is restarting; restarting again and again (restart count or recent deaths) is a crash loop", () => {
    expect(deriveServiceStatus(input({ containers: [{ ...running, state: "restarting", restartCount: 1 }] })).status).toBe("restarting");
    const loop = deriveServiceStatus(input({ containers: [{ ...running, state: "restarting", restartCount: 5 }] }));
    expect(loop).toMatchObject({
      status: "crash_looping",
      restartCount: 5,
      attention: [{ kind: "crash_loop", message: "Crash-looping: restarted 5 times recently" }],
    });
    expect(deriveServiceStatus(input({ containers: [running], events: { dies: 4, lastOomAt: null } })).status).toBe("crash_looping");
  });

  it("an OOM kill (event or container state) needs attention", () => {
    const byEvent = deriveServiceStatus(input({ containers: [running], events: { dies: 1, lastOomAt: "2026-11-28T10:00:00Z" } }));
    expect(byEvent.attention.map((a) => a.kind)).toEqual(["oom_killed"]);
    const byState = deriveServiceStatus(input({ containers: [{ ...running, state: "exited", oomKilled: true }] }));
    expect(byState.attention.map((a) => a.kind)).toEqual(["oom_killed", "exited"]);
  });

  it("not deployed without deployments; unknown when the engine could not be asked; starting for a created container", () => {
    expect(deriveServiceStatus(input({ latest: null, liveDeploymentId: null })).status).toBe("not_deployed");
    expect(deriveServiceStatus(input({ containers: null })).status).toBe("unknown");
    expect(deriveServiceStatus(input({ containers: [{ ...running, state: "created" }] })).status).toBe("starting");
  });

  it("prefers the live release's container over an older one", () => {
    const old = { deploymentId: "d0", state: "exited" as const, restartCount: 9 };
    expect(deriveServiceStatus(input({ containers: [old, running] })).status).toBe("running");
  });

  it("a timed-out deployment with nothing running is timed_out (one label everywhere); with no container there is nothing to start, and the status says so", () => {
    const timedOut = deriveServiceStatus(
      input({ latest: { status: "timed_out", error: "Health check timed out" }, liveDeploymentId: null }),
    );
    expect(timedOut).toMatchObject({
      status: "timed_out",
      containerUp: false,
      startBlocked: "There is no release to start yet: deploy it first",
    });
    expect(timedOut.attention).toEqual([{ kind: "deploy_failed", message: "Last deployment timed out: Health check timed out" }]);
    // A worker (no port) whose container runs is running and up, whatever its URL.
    expect(deriveServiceStatus(input({ containers: [running] })).containerUp).toBe(true);
    expect(deriveServiceStatus(input({ containers: null })).containerUp).toBe(false);
  });
});
