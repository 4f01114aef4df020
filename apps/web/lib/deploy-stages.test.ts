import { describe, expect, it } from "vitest";
import { deployStages, type StageInput } from "./deploy-stages";

const base: StageInput = {
  status: "queued",
  cloneMs: null,
  buildMs: null,
  releaseMs: null,
  stageStartedAt: null,
  finishedAt: null,
  rollbackOfId: null,
};
const at = (iso: string) => new Date(iso).getTime();
const states = (d: StageInput, builds = true, now = 0) => deployStages(d, { builds, now }).map((s) => `${s.key}:${s.state}:${s.ms ?? "-"}`);

describe("deployStages", () => {
  it("a queued git deployment: every stage waits", () => {
    expect(states(base)).toEqual(["clone:pending:-", "build:pending:-", "release:pending:-"]);
  });

  it("times the running stage from its start and keeps finished stages' durations", () => {
    const building = { ...base, status: "building", cloneMs: 1200, stageStartedAt: "2026-12-04T10:00:00Z" };
    expect(states(building, true, at("2026-12-04T10:00:07Z"))).toEqual(["clone:done:1200", "build:running:7000", "release:pending:-"]);
  });

  it("a success has all three durations", () => {
    expect(states({ ...base, status: "succeeded", cloneMs: 1, buildMs: 2, releaseMs: 3 })).toEqual([
      "clone:done:1",
      "build:done:2",
      "release:done:3",
    ]);
  });

  it("marks the stage a failure ended, timed from its start to the end, and the rest as never reached", () => {
    const failed = { ...base, status: "failed", cloneMs: 900, stageStartedAt: "2026-12-04T10:00:00Z", finishedAt: "2026-12-04T10:00:04Z" };
    expect(states(failed)).toEqual(["clone:done:900", "build:failed:4000", "release:pending:-"]);
    const timedOut = { ...base, status: "timed_out", stageStartedAt: "2026-12-04T10:00:00Z", finishedAt: "2026-12-04T10:02:00Z" };
    expect(states(timedOut)).toEqual(["clone:failed:120000", "build:pending:-", "release:pending:-"]);
  });

  it("an image service or a rollback only releases", () => {
    const releasing = { ...base, status: "releasing", stageStartedAt: "2026-12-04T10:00:00Z" };
    expect(states(releasing, false, at("2026-12-04T10:00:02Z"))).toEqual(["clone:skipped:-", "build:skipped:-", "release:running:2000"]);
    expect(states({ ...releasing, rollbackOfId: "r1" }, true, at("2026-12-04T10:00:02Z"))).toEqual([
      "clone:skipped:-",
      "build:skipped:-",
      "release:running:2000",
    ]);
    const failed = { ...base, status: "failed", stageStartedAt: "2026-12-04T10:00:00Z", finishedAt: "2026-12-04T10:00:01Z" };
    expect(states(failed, false)).toEqual(["clone:skipped:-", "build:skipped:-", "release:failed:1000"]);
  });

  it("a deployment superseded or cancelled while queued never started a stage", () => {
    expect(states({ ...base, status: "superseded", finishedAt: "2026-12-04T10:00:00Z" })).toEqual([
      "clone:pending:-",
      "build:pending:-",
      "release:pending:-",
    ]);
    expect(states({ ...base, status: "cancelled", finishedAt: "2026-12-04T10:00:00Z" })).toEqual([
      "clone:pending:-",
      "build:pending:-",
      "release:pending:-",
    ]);
  });
});
