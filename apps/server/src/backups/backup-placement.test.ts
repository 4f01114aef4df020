import { describe, expect, it } from "vitest";
import { CLUSTER_BACKUP } from "../cluster/service-placement.ts";
import { backupPlacementProblem, REMOTE_BACKUP } from "./backup-placement.ts";

describe("backupPlacementProblem", () => {
  it("allows a service on Berth's own engine and refuses one on the cluster or on a standalone server", () => {
    expect(backupPlacementProblem({ placement: "server", serverId: null })).toBeNull();
    expect(backupPlacementProblem({ placement: "cluster", serverId: null })).toBe(CLUSTER_BACKUP);
    expect(backupPlacementProblem({ placement: "server", serverId: "srv_1" })).toBe(REMOTE_BACKUP);
  });
});
