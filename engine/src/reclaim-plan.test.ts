import { describe, expect, it } from "vitest";
import { planReclaim, type DfImage } from "./reclaim-plan.ts";

const NOW = Date.parse("2026-11-28T12:00:00Z");
const HOUR = 3600_000;
const img = (id: string, tags: string[], created: number, extra: Partial<DfImage> = {}): DfImage => ({
  id,
  tags,
  created,
  sizeBytes: 100,
  sharedBytes: 10,
  containers: 0,
  ...extra,
});
const retain = (keepTags: string[], ...repositories: string[]) => ({ repositories, keepTags });
const base = { buildCache: [], sweep: true, maxAgeMs: 24 * HOUR, now: NOW };

describe("planReclaim", () => {
  it("removes every tag of a listed repository but the kept ones (the retained releases, however old)", () => {
    const images = [1, 2, 3, 4].map((n) => img(`sha:${n}`, [`berth-build/s1:d${n}`], 1000 + n));
    const plan = planReclaim({ ...base, images, retain: retain(["berth-build/s1:d1", "berth-build/s1:d4"], "berth-build/s1") });
    expect(plan.images.map((i) => i.tags)).toEqual([["berth-build/s1:d2"], ["berth-build/s1:d3"]]);
    expect(plan.totalBytes).toBe(180);
  });

  it("removes the release tags beyond retention of an image redeployed, keeping the kept tag", () => {
    const images = [img("sha:1", ["berth-release/s1:a", "berth-release/s1:b", "berth-release/s1:c"], 1)];
    const plan = planReclaim({ ...base, images, retain: retain(["berth-release/s1:c"], "berth-release/s1") });
    expect(plan.images).toEqual([
      { id: "sha:1", tags: ["berth-release/s1:a", "berth-release/s1:b"], sizeBytes: 0, reason: "beyond-retention" },
    ]);
  });

  it("never removes a user's image, an image a container uses, a repository not listed, or frees bytes another tag still holds", () => {
    const images = [
      img("sha:user", ["nginx:latest"], 1),
      img("sha:old-used", ["berth-release/s1:a"], 2, { containers: 1 }),
      img("sha:uncounted", ["berth-release/s1:u"], 2, { containers: -1 }),
      img("sha:old-shared", ["berth-release/s1:b", "berth-test/hello:latest"], 3),
      img("sha:other-berth", ["berth-release/elsewhere:x"], 3),
      img("sha:new1", ["berth-release/s1:c"], 10),
    ];
    const plan = planReclaim({ ...base, images, retain: retain(["berth-release/s1:c"], "berth-release/s1", "nginx") });
    expect(plan.images).toEqual([{ id: "sha:old-shared", tags: ["berth-release/s1:b"], sizeBytes: 0, reason: "beyond-retention" }]);
  });

  it("removes dangling images and unused build cache only past the age limit", () => {
    const old = (NOW - 48 * HOUR) / 1000;
    const fresh = (NOW - HOUR) / 1000;
    const plan = planReclaim({
      ...base,
      retain: retain([]),
      images: [img("sha:d-old", ["<none>:<none>"], old), img("sha:d-fresh", [], fresh), img("sha:d-used", [], old, { containers: 2 })],
      buildCache: [
        { id: "c-old", sizeBytes: 50, inUse: false, lastUsedAt: new Date(NOW - 30 * HOUR).toISOString(), createdAt: null },
        { id: "c-fresh", sizeBytes: 50, inUse: false, lastUsedAt: new Date(NOW - HOUR).toISOString(), createdAt: null },
        { id: "c-busy", sizeBytes: 50, inUse: true, lastUsedAt: new Date(NOW - 30 * HOUR).toISOString(), createdAt: null },
      ],
    });
    expect(plan.images.map((i) => [i.id, i.reason])).toEqual([["sha:d-old", "dangling"]]);
    expect(plan.buildCache.map((c) => c.id)).toEqual(["c-old"]);
    expect(plan.totalBytes).toBe(90 + 50);
  });

  it("without the sweep: only the listed repositories' tags (no dangling images, no build cache)", () => {
    const images = [
      ...[1, 2, 3].map((n) => img(`sha:a${n}`, [`berth-build/a:${n}`], n)),
      ...[1, 2, 3].map((n) => img(`sha:b${n}`, [`berth-build/b:${n}`], n)),
      img("sha:dangling", [], 0),
    ];
    const plan = planReclaim({
      ...base,
      images,
      sweep: false,
      retain: retain(["berth-build/a:2", "berth-build/a:3"], "berth-build/a"),
      buildCache: [{ id: "c", sizeBytes: 1, inUse: false, lastUsedAt: null, createdAt: "2000-01-01T00:00:00Z" }],
    });
    expect(plan.images.map((i) => i.id)).toEqual(["sha:a1"]);
    expect(plan.buildCache).toEqual([]);
  });
});
