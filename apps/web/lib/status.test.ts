import { describe, expect, it } from "vitest";
import { deploymentStatus, isDeploymentActive, liveStatusView, STATUS_ORDER } from "./status";

describe("live service status badges", () => {
  it("names every status the server derives, timed out included", () => {
    expect(liveStatusView("timed_out")).toEqual({ key: "timed_out", label: "Timed out", tone: "danger" });
    expect(liveStatusView("not_deployed")).toMatchObject({ label: "Not deployed", tone: "neutral" });
    expect(liveStatusView("crash_looping").tone).toBe("danger");
    for (const status of STATUS_ORDER) expect(liveStatusView(status).label).not.toBe(status);
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
