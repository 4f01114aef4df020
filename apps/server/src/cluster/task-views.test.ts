import { describe, expect, it } from "vitest";
import type { SwarmTask } from "@berth/engine";
import { deriveServiceStatus } from "../overview/service-status.ts";
import { taskView } from "./task-views.ts";

const task = (state: string, deploymentId: string | null = "d1"): SwarmTask => ({
  id: `t-${state}`,
  nodeId: "n1",
  slot: 1,
  state,
  desiredState: "running",
  error: null,
  message: null,
  deploymentId,
  updatedAt: null,
});

const statusOf = (views: ReturnType<typeof taskView>[]) =>
  deriveServiceStatus({
    desiredState: "running",
    latest: { status: "succeeded", error: null },
    liveDeploymentId: "d1",
    containers: views,
    events: { dies: 0, lastOomAt: null },
  });

describe("a cluster service's tasks as container views", () => {
  it("a running task of the live release is a running service, not one that stopped unexpectedly", () => {
    expect(taskView(task("running"))).toEqual({ deploymentId: "d1", state: "running", restartCount: 0 });
    const derived = statusOf([taskView(task("running"))]);
    expect(derived.status).toBe("running");
    expect(derived.attention).toEqual([]);
  });

  it("tasks on their way up are starting; a failed or shut down one has exited", () => {
    for (const state of ["pending", "assigned", "preparing", "starting"]) expect(taskView(task(state)).state).toBe("created");
    for (const state of ["failed", "rejected", "shutdown", "orphaned"]) expect(taskView(task(state)).state).toBe("exited");
    expect(statusOf([taskView(task("preparing"))]).status).toBe("starting");
    expect(statusOf([]).status).toBe("exited");
  });
});
