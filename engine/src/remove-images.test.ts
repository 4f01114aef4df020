import { describe, expect, it } from "vitest";
import type { EngineApi } from "./engine-api.ts";
import { pruneRepositoryImages, removeRepositoryImages } from "./remove-images.ts";

describe("removeRepositoryImages", () => {
  it("refuses repositories Berth does not own, and tags, before asking the engine anything", async () => {
    const api = {} as EngineApi; // any call would throw a TypeError instead of INVALID
    for (const repo of ["nginx", "berth-test/hello", "berth-build/svc:tag", "library/berth-build/x"]) {
      await expect(removeRepositoryImages(api, repo), repo).rejects.toMatchObject({ code: "INVALID" });
      await expect(pruneRepositoryImages(api, repo, []), repo).rejects.toMatchObject({ code: "INVALID" });
    }
  });
});
