import { describe, expect, it } from "vitest";
import { afterHealthy, afterRepair, backoffDelayMs, type BackoffState, mayRepair } from "./backoff.ts";
import { type DesiredService, type ObservedContainer, type Observation, planReconcile, servicesDown } from "./plan.ts";

const policy = { baseMs: 10_000, capMs: 80_000, stableMs: 300_000 };
const service = (over: Partial<DesiredService> = {}): DesiredService => ({
  id: "s1",
  name: "web",
  teamId: "t1",
  projectId: "p1",
  desiredState: "running",
  deploying: false,
  live: { deploymentId: "d1", replicas: 1, recreatable: true },
  ...over,
});
const container = (over: Partial<ObservedContainer> = {}): ObservedContainer => ({
  containerId: "c1",
  containerName: "berth-web-1",
  teamId: "t1",
  serviceId: "s1",
  deploymentId: "d1",
  state: "running",
  ...over,
});
const observe = (services: DesiredService[], containers: ObservedContainer[], knownTeams = ["t1"]): Observation => ({
  services,
  containers,
  knownTeams: new Set(knownTeams),
});
/** The plan without the per-project network checks (tested on their own). */
const plan = (o: Observation, backoffs: Map<string, BackoffState> = new Map(), now = 1_000_000) =>
  planReconcile(o, backoffs, now).filter((a) => a.kind !== "network");

describe("planReconcile", () => {
  it("does nothing while the live release runs", () => {
    expect(plan(observe([service()], [container()]))).toEqual([]);
  });

  it("starts a stopped live release of a service that should run, and names why", () => {
    expect(plan(observe([service()], [container({ state: "exited" })]))).toEqual([
      {
        kind: "start",
        serviceId: "s1",
        deploymentId: "d1",
        containerIds: ["c1"],
        reason: "The live release should run but its container is stopped",
      },
    ]);
  });

  it("recreates a missing container (or replica) from the release snapshot", () => {
    expect(plan(observe([service()], []))).toEqual([
      { kind: "recreate", serviceId: "s1", deploymentId: "d1", reason: "The live release should run but its container is missing" },
    ]);
    const three = service({ live: { deploymentId: "d1", replicas: 3, recreatable: true } });
    expect(plan(observe([three], [container(), container({ containerId: "c2", state: "exited" })]))[0]).toMatchObject({
      kind: "recreate",
      reason: "The live release should run but 1 of 3 containers are missing",
    });
  });

  it("never starts or removes anything of a service the user stopped; still removes what no release owns", () => {
    const stopped = service({ desiredState: "stopped" });
    expect(plan(observe([stopped], [container({ state: "exited" })]))).toEqual([]);
    expect(plan(observe([stopped], []))).toEqual([]);
    expect(
      plan(observe([stopped], [container({ state: "exited" }), container({ containerId: "old", deploymentId: "d0", state: "exited" })])),
    ).toEqual([expect.objectContaining({ kind: "remove", containerId: "old", reason: "It belongs to no live release" })]);
  });

  it("leaves a service with a deployment in progress to the worker, even its other containers", () => {
    const deploying = service({ deploying: true });
    expect(plan(observe([deploying], [container({ state: "exited" }), container({ containerId: "new", deploymentId: "d2" })]))).toEqual([]);
  });

  it("removes containers of a deleted service of a known team; never a container of a team it does not know", () => {
    const orphan = container({ serviceId: "gone", containerId: "o1", containerName: "berth-x" });
    const foreign = container({ serviceId: "theirs", teamId: "t9", containerId: "f1" });
    expect(plan(observe([], [orphan, foreign]))).toEqual([
      {
        kind: "remove",
        serviceId: "gone",
        teamId: "t1",
        deploymentId: "d1",
        containerId: "o1",
        containerName: "berth-x",
        reason: "Its service no longer exists",
        serviceExists: false,
      },
    ]);
  });

  it("leaves restarting (the engine's restart policy), paused and removing containers alone", () => {
    for (const state of ["restarting", "paused", "removing"] as const)
      expect(plan(observe([service()], [container({ state })]))).toEqual([]);
  });

  it("a service without a live release has nothing to run; one without a snapshot is reported, not guessed", () => {
    expect(plan(observe([service({ live: null })], []))).toEqual([]);
    const bare = service({ live: { deploymentId: "d1", replicas: 1, recreatable: false } });
    expect(plan(observe([bare], []))).toEqual([
      { kind: "wait", serviceId: "s1", until: null, reason: expect.stringMatching(/no configuration snapshot/), containerIds: [] },
    ]);
  });

  it("checks each project's network once while one of its services should run; never for stopped or undeployed ones", () => {
    const services = [
      service({ id: "a" }),
      service({ id: "b" }),
      service({ id: "c", projectId: "p2", desiredState: "stopped" }),
      service({ id: "d", projectId: "p3", live: null }),
    ];
    const networks = planReconcile(observe(services, [container({ serviceId: "a" }), container({ serviceId: "b" })]), new Map(), 0).filter(
      (a) => a.kind === "network",
    );
    expect(networks).toEqual([
      { kind: "network", serviceId: "a", teamId: "t1", projectId: "p1", reason: expect.stringMatching(/network was missing/) },
    ]);
  });

  it("waits while the service backs off, and says until when", () => {
    const backoffs = new Map([["s1", { repairs: 2, lastRepairAt: 990_000, nextAttemptAt: 1_010_000 }]]);
    expect(plan(observe([service()], [container({ state: "exited" })]), backoffs, 1_000_000)).toEqual([
      {
        kind: "wait",
        serviceId: "s1",
        until: 1_010_000,
        reason: "The live release should run but its container is stopped",
        containerIds: ["c1"],
      },
    ]);
    expect(plan(observe([service()], [container({ state: "exited" })]), backoffs, 1_010_000)[0]?.kind).toBe("start");
  });
});

describe("back-off", () => {
  it("the first repair is immediate; repairs in a row wait twice as long each time, up to the cap", () => {
    expect(mayRepair(undefined, 0)).toBe(true);
    let state: BackoffState | undefined;
    const waits: number[] = [];
    let now = 0;
    for (let i = 0; i < 6; i++) {
      state = afterRepair(state, now, policy);
      waits.push(state.nextAttemptAt - now);
      expect(mayRepair(state, now + 1)).toBe(false);
      now = state.nextAttemptAt;
      expect(mayRepair(state, now)).toBe(true);
    }
    expect(waits).toEqual([10_000, 20_000, 40_000, 80_000, 80_000, 80_000]);
    expect(state?.repairs).toBe(6);
    expect(backoffDelayMs(0, policy)).toBe(0);
  });

  it("a service that ran for the stable period after its repair starts from zero", () => {
    const state = afterRepair(afterRepair(undefined, 0, policy), 10_000, policy);
    expect(afterHealthy(state, 10_000 + policy.stableMs - 1, policy)).toBe(state);
    expect(afterHealthy(state, 10_000 + policy.stableMs, policy)).toBeUndefined();
    // A repair long after the last one (it ran in between) is a first repair again.
    expect(afterRepair(state, 10_000 + policy.stableMs + 20_000 + 1, policy).repairs).toBe(1);
  });
});

describe("servicesDown", () => {
  it("counts services that should run and have no running container of their live release", () => {
    const a = service({ id: "a" });
    const b = service({ id: "b" });
    const stopped = service({ id: "c", desiredState: "stopped" });
    const fresh = service({ id: "d", live: null });
    const deploying = service({ id: "e", deploying: true });
    const old = container({ serviceId: "b", deploymentId: "d0" });
    const down = servicesDown(observe([a, b, stopped, fresh, deploying], [container({ serviceId: "a" }), old]));
    expect(down.map((s) => s.id)).toEqual(["b"]);
  });
});
