/**
 * The stop-first strategy on the real engine: a volume-backed service is never run twice at
 * once, keeps its data across redeploys, and gets its old release back when the new one
 * fails; a failed pull stops nothing. Fixed per-replica host ports are reused across releases.
 */
import { describe, expect, it } from "vitest";
import type { ReleaseSpec } from "../src/index.ts";
import { eventually, httpGet, rejectionOf, uniqueId, useTestTeam } from "./support/hello-image.ts";
import { freePort } from "./support/free-port.ts";

const { engine, docker, newRelease } = useTestTeam();
const STOP_FIRST = { strategy: "stop-first" as const, graceSeconds: 2 };

function volumeService(): ReleaseSpec {
  return newRelease({ volumes: [{ type: "volume", name: "data", target: "/data" }], env: { GREETING: "v1" } });
}

async function readFile(containerId: string): Promise<string> {
  return (await engine.exec(containerId, { cmd: ["cat", "/data/file"] })).output;
}

describe("stop-first", () => {
  it("stops the old release before the new one starts, keeps the volume's data, and leaves the old stopped for retireOthers", async () => {
    const base = volumeService();
    const v1 = await engine.replaceRelease(base, STOP_FIRST);
    await engine.exec(v1.containerId, { cmd: ["sh", "-c", "echo kept > /data/file"] });
    let atHandover: { states: string[]; oldFinished: string; newStarted: string } | undefined;
    const v2 = await engine.replaceRelease(
      { ...base, deploymentId: uniqueId("d"), env: { GREETING: "v2" } },
      {
        ...STOP_FIRST,
        onHandover: async ({ release, previous }) => {
          const old = await docker.getContainer(v1.containerId).inspect();
          const fresh = await docker.getContainer(release.containerId).inspect();
          atHandover = { states: previous.map((p) => p.state), oldFinished: old.State.FinishedAt, newStarted: fresh.State.StartedAt };
        },
      },
    );
    expect(atHandover?.states).toEqual(["exited"]);
    // The old process had ended before the new one began: one writer per data directory.
    expect(Date.parse(atHandover?.oldFinished ?? "")).toBeLessThanOrEqual(Date.parse(atHandover?.newStarted ?? ""));
    expect(await readFile(v2.containerId)).toBe("kept\n");
    expect((await httpGet(v2.hostPort)).body).toBe("v2\n");
    // Stopped, not removed: the caller retires it once it recorded the new release.
    expect((await docker.getContainer(v1.containerId).inspect()).State.Running).toBe(false);
    expect(await engine.retireOthers(base.owner.serviceId, v2.deploymentId, 2)).toEqual([v1.containerName]);
    expect((await engine.listManaged({ serviceId: base.owner.serviceId })).map((c) => c.containerId)).toEqual([v2.containerId]);
  });

  it("a new release that fails its gate brings the old container back running, data untouched", async () => {
    const base = volumeService();
    const v1 = await engine.replaceRelease(base, STOP_FIRST);
    await engine.exec(v1.containerId, { cmd: ["sh", "-c", "echo kept > /data/file"] });
    const broken = {
      ...base,
      deploymentId: uniqueId("d"),
      command: ["sh", "-c", "echo broken > /data/file-v2; exit 1"],
      restartPolicy: { name: "no" as const },
    };
    let handedOver = false;
    const err = await rejectionOf(() =>
      engine.replaceRelease(broken, {
        ...STOP_FIRST,
        onHandover: () => {
          handedOver = true;
        },
      }),
    );
    expect(err.code).toBe("HEALTHCHECK_FAILED");
    expect(err.details?.restored).toEqual([v1.containerName]);
    expect(err.details?.cleanupErrors).toBeUndefined();
    expect(handedOver).toBe(false);
    const managed = await engine.listManaged({ serviceId: base.owner.serviceId });
    expect(managed.map((c) => [c.containerId, c.state])).toEqual([[v1.containerId, "running"]]);
    expect(await readFile(v1.containerId)).toBe("kept\n");
    // It ran while the old one was stopped, and the old one serves again.
    expect((await engine.exec(v1.containerId, { cmd: ["cat", "/data/file-v2"] })).output).toBe("broken\n");
    const hostPort = managed[0]?.hostPort ?? null;
    expect(await eventually(async () => ((await httpGet(hostPort)).status === 200 ? true : undefined))).toBe(true);
  });

  it("a failed pull stops nothing", async () => {
    const base = volumeService();
    const v1 = await engine.replaceRelease(base, STOP_FIRST);
    const startedAt = (await docker.getContainer(v1.containerId).inspect()).State.StartedAt;
    const err = await rejectionOf(() =>
      engine.replaceRelease(
        { ...base, deploymentId: uniqueId("d"), image: "127.0.0.1:9/berth-test/nowhere:1" },
        { ...STOP_FIRST, pull: "always" },
      ),
    );
    expect(err.code).toBe("IMAGE_UNAVAILABLE");
    const after = await docker.getContainer(v1.containerId).inspect();
    expect(after.State.Running).toBe(true);
    expect(after.State.StartedAt).toBe(startedAt);
  });

  it("publishes a TCP service's primary port a second time on a fixed host port, across stop-first redeploys", async () => {
    const fixed = await freePort();
    const base = newRelease({ ports: [{ containerPort: 8080, hostPort: fixed }], env: { GREETING: "v1" } });
    const v1 = await engine.replaceRelease(base, STOP_FIRST);
    expect(v1.hostPort).not.toBeNull();
    expect(v1.hostPort).not.toBe(fixed); // hostPort is the 127.0.0.1 binding listed first: the primary one
    expect((await httpGet(fixed)).body).toBe("v1\n");
    expect((await httpGet(v1.hostPort)).body).toBe("v1\n");
    await engine.replaceRelease({ ...base, deploymentId: uniqueId("d"), env: { GREETING: "v2" } }, STOP_FIRST);
    expect((await httpGet(fixed)).body).toBe("v2\n");
  });

  it("reuses fixed per-replica host ports across releases and reconciles with the same strategy", async () => {
    const ports = [await freePort(), await freePort()];
    const base = newRelease({ replicas: 2, primaryHostPorts: ports, env: { GREETING: "v1" } });
    const v1 = await engine.replaceRelease(base, STOP_FIRST);
    expect(v1.replicas?.map((r) => r.hostPort)).toEqual(ports);
    const v2spec = { ...base, deploymentId: uniqueId("d"), env: { GREETING: "v2" } };
    const v2 = await engine.replaceRelease(v2spec, STOP_FIRST);
    await engine.retireOthers(base.owner.serviceId, v2.deploymentId, 2);
    expect(v2.replicas?.map((r) => r.hostPort)).toEqual(ports);
    for (const port of ports) expect((await httpGet(port)).body).toBe("v2\n");
    // A changed spec under ensureService is re-created stop-first too (the fixed ports would clash otherwise).
    const v3 = await engine.ensureService({ ...v2spec, deploymentId: uniqueId("d"), env: { GREETING: "v3" } }, STOP_FIRST);
    expect(v3.changed).toBe(true);
    expect(v3.removed.sort()).toEqual((v2.replicas ?? []).map((r) => r.containerName).sort());
    for (const port of ports) expect((await httpGet(port)).body).toBe("v3\n");
  });
});
