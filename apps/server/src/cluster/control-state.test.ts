import { describe, expect, it } from "vitest";
import { controlCheckOfListFailure } from "./control-state.ts";

describe("controlCheckOfListFailure", () => {
  it("names a lost quorum from the engine's own message, with the managers needed", () => {
    const check = controlCheckOfListFailure(
      "list nodes: rpc error: code = Unknown desc = The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online.",
      2,
    );
    expect(check.state).toBe("no-quorum");
    expect(check.error).toMatch(/needs 2 of its 2 managers/);
  });

  it("three managers need two", () => {
    expect(controlCheckOfListFailure("The swarm does not have a leader", 3).error).toMatch(/needs 2 of its 3 managers/);
  });

  it("any other failure is not called a lost quorum", () => {
    const check = controlCheckOfListFailure("list nodes: connect ECONNREFUSED 10.0.0.2:2376", 3);
    expect(check.state).toBe("unreachable");
    expect(check.error).toContain("ECONNREFUSED");
  });
});
