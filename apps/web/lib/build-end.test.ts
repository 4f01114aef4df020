import { describe, expect, it } from "vitest";
import { buildEndMessage } from "./build-end";

describe("buildEndMessage", () => {
  it("names the finished status, or the reason access ended (no status: a deleted service), never throwing", () => {
    expect(buildEndMessage({ deploymentId: "d", status: "timed_out" })).toBe("Finished: timed out");
    expect(buildEndMessage({ deploymentId: "d", reason: "Access ended: the service was deleted" })).toBe(
      "Access ended: the service was deleted",
    );
    expect(buildEndMessage({ deploymentId: "d" })).toBe("The build log ended");
  });
});
