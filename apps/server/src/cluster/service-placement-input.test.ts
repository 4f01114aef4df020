import { PLACEMENT_CONSTRAINT } from "@berth/engine";
import { describe, expect, it } from "vitest";
import { constraintProblem, servicePlacementInput } from "./service-placement-input.ts";

describe("service placement input", () => {
  it("accepts label, host name and role constraints as Swarm writes them, and the engine accepts them too", () => {
    for (const c of ["node.labels.zone==eu-1", "node.labels.disk.ssd!=true", "node.hostname==node-a", "node.role==manager"]) {
      expect(constraintProblem(c)).toBeNull();
      expect(PLACEMENT_CONSTRAINT.test(c)).toBe(true);
    }
  });

  it("refuses anything else, each at its index", () => {
    const parsed = servicePlacementInput.safeParse({
      placement: "cluster",
      constraints: [
        "zone==eu",
        "node.labels.com.docker.x==1",
        "node.labels.zone==a b",
        "node.labels.zone==",
        "node.role==boss",
        "node.hostname==-x",
        "node.labels.ok==1",
        "node.labels.ok==1",
      ],
    });
    expect(parsed.success).toBe(false);
    const paths = parsed.error?.issues.map((i) => [i.path.join("."), i.message]);
    expect(paths).toEqual([
      ["constraints.0", expect.stringMatching(/node\.labels\.KEY==VALUE/)],
      ["constraints.1", expect.stringMatching(/reserves/)],
      ["constraints.2", expect.stringMatching(/no spaces/)],
      ["constraints.3", expect.stringMatching(/required/)],
      ["constraints.4", expect.stringMatching(/manager or worker/)],
      ["constraints.5", expect.stringMatching(/host name/)],
      ["constraints.7", "Listed twice"],
    ]);
  });

  it("defaults to no constraints and Berth's own engine; a server is named by its id", () => {
    expect(servicePlacementInput.parse({ placement: "server" })).toEqual({ placement: "server", serverId: null, constraints: [] });
    const bad = servicePlacementInput.safeParse({ placement: "server", serverId: "not-an-id" });
    expect(bad.success ? null : bad.error.issues.map((i) => i.path.join("."))).toEqual(["serverId"]);
  });
});
