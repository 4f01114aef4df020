import { describe, expect, it } from "vitest";
import { buildReleaseLabels, isManagedByBerth, managedFilters, parseDeploymentLabel, parseOwnerLabels } from "./labels.ts";

const owner = { teamId: "t1", projectId: "p1", serviceId: "s1" };

describe("labels", () => {
  it("writes the five labels of the contract", () => {
    expect(buildReleaseLabels(owner, "d1")).toEqual({
      "io.berth.managed-by": "berth",
      "io.berth.team": "t1",
      "io.berth.project": "p1",
      "io.berth.service": "s1",
      "io.berth.deployment": "d1",
    });
  });

  it("reads back what it wrote", () => {
    const labels = buildReleaseLabels(owner, "d1");
    expect(parseOwnerLabels(labels)).toEqual(owner);
    expect(parseDeploymentLabel(labels)).toBe("d1");
    expect(isManagedByBerth(labels)).toBe(true);
  });

  it("returns null for containers Berth does not manage", () => {
    const { ["io.berth.managed-by"]: _omit, ...unmanaged } = buildReleaseLabels(owner, "d1");
    expect(parseOwnerLabels(unmanaged)).toBeNull();
    expect(parseDeploymentLabel(unmanaged)).toBeNull();
    expect(parseOwnerLabels({ ...unmanaged, "io.berth.managed-by": "someone-else" })).toBeNull();
    expect(parseOwnerLabels(null)).toBeNull();
    expect(parseOwnerLabels(undefined)).toBeNull();
    expect(parseOwnerLabels({})).toBeNull();
  });

  it("returns null when a label is missing or malformed", () => {
    const labels = buildReleaseLabels(owner, "d1");
    expect(parseOwnerLabels({ ...labels, "io.berth.team": "" })).toBeNull();
    expect(parseOwnerLabels({ ...labels, "io.berth.project": "a/b" })).toBeNull();
    const { ["io.berth.service"]: _s, ...noService } = labels;
    expect(parseOwnerLabels(noService)).toBeNull();
    expect(parseDeploymentLabel({ ...labels, "io.berth.deployment": "x y" })).toBeNull();
  });

  it("filters by managed-by, and by service, project or team when asked", () => {
    expect(managedFilters()).toEqual({ label: ["io.berth.managed-by=berth"] });
    expect(managedFilters("s1")).toEqual({ label: ["io.berth.managed-by=berth", "io.berth.service=s1"] });
    expect(managedFilters({ teamId: "t1", projectId: "p1" })).toEqual({
      label: ["io.berth.managed-by=berth", "io.berth.project=p1", "io.berth.team=t1"],
    });
  });
});
