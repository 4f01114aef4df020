import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerEngine, type ReleaseInstance } from "../src/index.ts";
import { Forwarder, requestLoop } from "./support/forwarder.ts";
import { buildHelloImage, cleanupTeam, httpGet, rawDocker, rejectionOf, releaseFactory, uniqueId } from "./support/hello-image.ts";

const engine = new DockerEngine();
const docker = rawDocker();
const teamId = uniqueId("team");
const newRelease = releaseFactory(teamId);
const forwarder = new Forwarder();
let frontPort = 0;

beforeAll(async () => {
  await buildHelloImage(engine);
  frontPort = await forwarder.listen();
});

afterAll(async () => {
  await forwarder.close();
  await cleanupTeam(docker, teamId);
});

/** The router's side of the hand-over: point the forwarder at the new release, drain the old. */
async function switchAndDrain(release: ReleaseInstance, previousPorts: Array<number | null>): Promise<void> {
  forwarder.switchTo(release.hostPort);
  await Promise.all(previousPorts.map((p) => forwarder.drain(p)));
}

describe("replaceRelease under a steady request loop", () => {
  it("serves every request across 10 consecutive releases (0 failed)", async () => {
    const base = newRelease({ network: { scope: "service" }, env: { GREETING: "v0" } });
    const first = await engine.replaceRelease(base);
    forwarder.switchTo(first.hostPort);
    let current = first;
    const loop = requestLoop(frontPort);
    const handovers: string[] = [];
    for (let i = 1; i <= 10; i++) {
      const spec = { ...base, deploymentId: uniqueId("d"), env: { GREETING: `v${i}` } };
      const oldPort = current.hostPort;
      current = await engine.replaceRelease(spec, {
        graceSeconds: 5,
        onHandover: async ({ release, previous }) => {
          handovers.push(`${previous.map((p) => p.deploymentId).join(",")}->${release.deploymentId}`);
          expect(previous.map((p) => p.state)).toEqual(["running"]);
          await switchAndDrain(release, [oldPort]);
        },
      });
      // As the control plane does once it recorded the new release: the old one drains and goes.
      expect(await engine.retireOthers(spec.owner.serviceId, current.deploymentId, 5)).toHaveLength(1);
    }
    const stats = await loop.stop();
    expect(stats.errors).toEqual([]);
    expect(stats.failed).toBe(0);
    expect(stats.ok).toBeGreaterThan(20);
    expect(stats.bodies.has("v10")).toBe(true);
    expect(handovers).toHaveLength(10);
    const left = await engine.listManaged({ serviceId: base.owner.serviceId });
    expect(left.map((c) => c.deploymentId)).toEqual([current.deploymentId]);
    expect((await httpGet(frontPort)).body).toBe("v10\n");
  });

  it("a bad image leaves the old release serving and never hands over", async () => {
    const base = newRelease({ env: { GREETING: "old" } });
    const old = await engine.replaceRelease(base);
    forwarder.switchTo(old.hostPort);
    const loop = requestLoop(frontPort);
    let handedOver = false;
    const bad = { ...base, deploymentId: uniqueId("d"), image: "berth-test/does-not-exist:1" };
    const err = await rejectionOf(() =>
      engine.replaceRelease(bad, {
        onHandover: () => {
          handedOver = true;
        },
      }),
    );
    const stats = await loop.stop();
    expect(err.code).toBe("IMAGE_UNAVAILABLE");
    expect(handedOver).toBe(false);
    expect(stats.failed).toBe(0);
    expect((await engine.listManaged({ serviceId: base.owner.serviceId })).map((c) => c.containerId)).toEqual([old.containerId]);
    expect((await httpGet(frontPort)).body).toBe("old\n");
  });

  it("a failing HTTP health check leaves the old release serving: HEALTHCHECK_FAILED with the last probe and logs", async () => {
    const base = newRelease({ env: { GREETING: "old" } });
    const old = await engine.replaceRelease(base);
    forwarder.switchTo(old.hostPort);
    const loop = requestLoop(frontPort);
    let handedOver = false;
    const failing = {
      ...base,
      deploymentId: uniqueId("d"),
      healthCheck: { type: "http" as const, path: "/missing", intervalMs: 100, retries: 3 },
    };
    const err = await rejectionOf(() =>
      engine.replaceRelease(failing, {
        onHandover: () => {
          handedOver = true;
        },
      }),
    );
    const stats = await loop.stop();
    expect(err.code).toBe("HEALTHCHECK_FAILED");
    expect(err.message).toMatch(/failed 3 health probe\(s\) in a row/);
    expect(err.details?.lastProbe).toMatch(/^GET http:\/\/[0-9.]+:8080\/missing: HTTP 404$/);
    expect((err.details?.logs as string[]).some((l) => /^(out|err) \d+$/.test(l))).toBe(true);
    expect(handedOver).toBe(false);
    expect(stats.failed).toBe(0);
    expect((await engine.listManaged({ serviceId: base.owner.serviceId })).map((c) => c.containerId)).toEqual([old.containerId]);
  });

  it("a throwing hand-over hook removes the new release and keeps the old", async () => {
    const base = newRelease({ env: { GREETING: "old" } });
    const old = await engine.replaceRelease(base);
    const next = { ...base, deploymentId: uniqueId("d") };
    const err = await rejectionOf(() =>
      engine.replaceRelease(next, {
        onHandover: () => {
          throw new Error("router is down");
        },
      }),
    );
    expect(err.message).toMatch(/router is down/);
    expect((await engine.listManaged({ serviceId: base.owner.serviceId })).map((c) => c.containerId)).toEqual([old.containerId]);
    expect((await httpGet(old.hostPort)).body).toBe("old\n");
  });
});
