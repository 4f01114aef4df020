import { describe, expect, it } from "vitest";
import type { EngineEvent } from "@berth/engine";
import type { Deps } from "../deps.ts";
import { CRASH_WINDOW_MS, EngineWatch, OOM_WINDOW_MS, type ServiceChange } from "./engine-watch.ts";

const owner = { teamId: "t1", projectId: "p1", serviceId: "s1" };
const event = (type: "die" | "oom" | "start", at: number): EngineEvent =>
  ({
    type,
    time: new Date(at).toISOString(),
    containerId: "c",
    containerName: "n",
    owner,
    deploymentId: "d",
    ...(type === "die" ? { exitCode: 1 } : {}),
  }) as EngineEvent;

describe("EngineWatch (recent deaths and OOM kills per service)", () => {
  it("counts deaths within the crash window and OOM kills within the hour; tells listeners the team", () => {
    let now = 1_000_000_000;
    const watch = new EngineWatch({} as Pick<Deps, "engine" | "log">, () => now);
    const changes: ServiceChange[] = [];
    watch.onChange((c) => changes.push(c));
    watch.record(event("die", now - CRASH_WINDOW_MS - 1));
    watch.record(event("die", now - 1000));
    watch.record(event("die", now));
    watch.record(event("oom", now));
    expect(watch.recent("s1")).toEqual({ dies: 2, lastOomAt: new Date(now).toISOString() });
    expect(changes.map((c) => [c.teamId, c.serviceId, c.type])).toEqual([
      ["t1", "s1", "die"],
      ["t1", "s1", "die"],
      ["t1", "s1", "die"],
      ["t1", "s1", "oom"],
    ]);
    now += OOM_WINDOW_MS + 1;
    expect(watch.recent("s1")).toEqual({ dies: 0, lastOomAt: null });
    expect(watch.recent("other")).toEqual({ dies: 0, lastOomAt: null });
  });

  it("a die after a kill of the same container (a planned stop or removal) is not a death; a later crash of another container is", () => {
    const now = 1_000_000_000;
    const watch = new EngineWatch({} as Pick<Deps, "engine" | "log">, () => now);
    const of = (type: "kill" | "die", containerId: string, at: number) =>
      ({ ...event(type === "kill" ? "oom" : "die", at), type, containerId, ...(type === "kill" ? { signal: 15 } : {}) }) as EngineEvent;
    // Three redeploys: each retires the old release (kill, then die).
    for (const c of ["old1", "old2", "old3"]) {
      watch.record(of("kill", c, now - 5000));
      watch.record(of("die", c, now - 4000));
    }
    expect(watch.recent("s1").dies).toBe(0);
    // The kill is consumed by its die: the same container crashing later counts.
    watch.record(of("die", "old1", now - 1000));
    watch.record(of("die", "live", now));
    expect(watch.recent("s1").dies).toBe(2);
  });
});
