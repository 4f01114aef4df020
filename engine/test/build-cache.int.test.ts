import { describe, expect, it } from "vitest";
import { DockerEngine } from "../src/index.ts";
import { rejectionOf } from "./support/hello-image.ts";

const engine = new DockerEngine();

describe("pruneBuildCache", () => {
  // Only a budget far above the cache's size: the engine's cache is shared with other work on this host.
  it("asks the engine to keep the cache within a budget and reports what it freed", async () => {
    const result = await engine.pruneBuildCache(1024 ** 4);
    expect(result.reclaimedBytes).toBe(0);
  });

  it("refuses a budget that is not a whole number of bytes before calling the engine", async () => {
    for (const bad of [-1, 1.5, Number.NaN]) expect((await rejectionOf(() => engine.pruneBuildCache(bad))).code).toBe("INVALID");
  });
});
