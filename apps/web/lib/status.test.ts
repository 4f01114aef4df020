import { describe, expect, it } from "vitest";
import { deploymentStatus, isDeploymentActive, serviceStatus } from "./status";

describe("serviceStatus", () => {
  it("shows a deployment in progress before anything the container says", () => {
    expect(serviceStatus({ desiredState: "running", latestStatus: "queued", runtimeState: "running" }).key).toBe("queued");
    expect(serviceStatus({ desiredState: "running", latestStatus: "building", runtimeState: "none" }).key).toBe("deploying");
  });

  it("is running when the container runs, even if a later deployment failed (the old release still serves)", () => {
    expect(serviceStatus({ desiredState: "running", latestStatus: "failed", runtimeState: "running" })).toEqual({ key: "running", label: "Running", tone: "success" });
  });

  it("is failed when the last deployment failed and nothing runs", () => {
    expect(serviceStatus({ desiredState: "running", latestStatus: "failed", runtimeState: "none" }).key).toBe("failed");
  });

  it("is stopped when the user stopped it, whatever is left of the container", () => {
    expect(serviceStatus({ desiredState: "stopped", latestStatus: "succeeded", runtimeState: "exited" }).key).toBe("stopped");
    expect(serviceStatus({ desiredState: "stopped", latestStatus: "succeeded", runtimeState: "none" }).key).toBe("stopped");
  });

  it("flags a container that exited on its own", () => {
    expect(serviceStatus({ desiredState: "running", latestStatus: "succeeded", runtimeState: "exited" })).toMatchObject({ key: "exited", tone: "danger" });
  });

  it("says not deployed for a new service and unknown when the engine could not be asked", () => {
    expect(serviceStatus({ desiredState: "running", latestStatus: null, runtimeState: "none" }).key).toBe("not-deployed");
    expect(serviceStatus({ desiredState: "running", latestStatus: "succeeded", runtimeState: "unknown" }).key).toBe("unknown");
  });

  it("trusts the latest deployment in lists, which have no runtime state", () => {
    expect(serviceStatus({ desiredState: "running", latestStatus: "succeeded" }).key).toBe("running");
    expect(serviceStatus({ desiredState: "running", latestStatus: undefined }).key).toBe("not-deployed");
  });
});

describe("deployment status", () => {
  it("maps each status to a view and knows which are in progress", () => {
    expect(deploymentStatus("failed").tone).toBe("danger");
    expect(deploymentStatus("timed_out")).toMatchObject({ label: "Timed out", tone: "danger" });
    expect((["queued", "cloning", "building", "releasing"] as const).every((s) => isDeploymentActive(s))).toBe(true);
    expect((["succeeded", "failed", "cancelled", "superseded", "timed_out"] as const).some((s) => isDeploymentActive(s))).toBe(false);
    expect(isDeploymentActive(null)).toBe(false);
  });
});
