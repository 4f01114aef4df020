import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DockerEngine } from "../src/index.ts";
import { DEFAULT_READY_TIMEOUT_MS } from "../src/run-release.ts";
import { rejectionOf, uniqueId, useTestTeam } from "./support/hello-image.ts";

const { engine, docker, newRelease } = useTestTeam();

describe("engine availability", () => {
  it("pings the real engine", async () => {
    await expect(engine.ping()).resolves.toBeUndefined();
  });

  it("reports ENGINE_UNAVAILABLE at once for a socket that does not exist", async () => {
    const absent = new DockerEngine({ socketPath: join(tmpdir(), `${uniqueId("no-engine-")}.sock`) });
    const err = await rejectionOf(() => absent.ping());
    expect(err.code).toBe("ENGINE_UNAVAILABLE");
    // On the connect's own failure, not at a deadline ("did not answer within ..."): no timing needed.
    expect(err.message).toMatch(/ENOENT/);
    expect(err.message).not.toMatch(/did not answer within/);
    expect((await rejectionOf(() => absent.listManaged())).code).toBe("ENGINE_UNAVAILABLE");
  });

  it("gives up on an engine that accepts but never answers within the ping deadline", async () => {
    const socketPath = join(tmpdir(), `${uniqueId("mute-engine-")}.sock`);
    const held: net.Socket[] = [];
    const mute = net.createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => mute.listen(socketPath, resolve));
    try {
      const started = Date.now();
      // Requests of this client may take 2 minutes: only the ping's own deadline can end the ping sooner.
      const err = await rejectionOf(() => new DockerEngine({ socketPath, timeoutMs: 120_000 }).ping());
      const elapsed = Date.now() - started;
      expect(err.code).toBe("ENGINE_UNAVAILABLE");
      expect(err.message).toMatch(/did not answer within 3000 ms/);
      expect(elapsed).toBeGreaterThanOrEqual(2_900);
      expect(elapsed).toBeLessThan(60_000);
      const listErr = await rejectionOf(() => new DockerEngine({ socketPath, timeoutMs: 500 }).listManaged());
      expect(listErr.code).toBe("ENGINE_UNAVAILABLE");
    } finally {
      held.forEach((s) => s.destroy());
      await new Promise<void>((resolve) => mute.close(() => resolve()));
    }
  });

  it("rejects an invalid spec with INVALID before any engine call (even with no engine)", async () => {
    const absent = new DockerEngine({ socketPath: join(tmpdir(), `${uniqueId("no-engine-")}.sock`) });
    const err = await rejectionOf(() => absent.runRelease(newRelease({ image: "nginx; rm -rf /" })));
    expect(err.code).toBe("INVALID");
    expect((await rejectionOf(() => absent.ensureImage("--privileged"))).code).toBe("INVALID");
  });
});

describe("failed releases leave nothing behind", () => {
  it("fails fast with IMAGE_UNAVAILABLE for an image that is neither here nor pullable", async () => {
    const spec = newRelease({ image: "berth-test/does-not-exist:1" });
    const started = Date.now();
    const err = await rejectionOf(() => engine.runRelease(spec));
    const elapsed = Date.now() - started;
    expect(err.code).toBe("IMAGE_UNAVAILABLE");
    expect(err.message).toMatch(/^image "berth-test\/does-not-exist:1" is not present on this host and could not be pulled: \S/);
    // On the registry's answer, not at the end of the pull's deadline (DEFAULT_PULL_TIMEOUT_MS, 60 s).
    expect(err.message).not.toMatch(/did not finish within/);
    expect(elapsed).toBeLessThan(30_000);
    console.info(`missing-image failure took ${elapsed} ms: ${err.message}`);
    expect(await engine.listManaged({ serviceId: spec.owner.serviceId })).toEqual([]);
  });

  it("fails with HEALTHCHECK_FAILED, the exit code and the logs when the process exits at once", async () => {
    const spec = newRelease({ command: ["sh", "-c", "echo boom; echo bang >&2; exit 3"] });
    const err = await rejectionOf(() => engine.runRelease(spec, { readyTimeoutMs: 10_000 }));
    expect(err.code).toBe("HEALTHCHECK_FAILED");
    expect(err.message).toMatch(/exited (with code 3|and was restarted)/);
    const logs = err.details?.logs as string[];
    expect(logs).toContain("boom");
    expect(logs).toContain("bang");
    expect(await engine.listManaged({ serviceId: spec.owner.serviceId })).toEqual([]);
    expect(await docker.listContainers({ all: true, filters: { label: [`io.berth.deployment=${spec.deploymentId}`] } })).toEqual([]);
  });

  it("fails with HEALTHCHECK_FAILED when nothing listens on the port before the deadline", async () => {
    const spec = newRelease({ command: ["sh", "-c", "echo waiting; exec sleep 60"] });
    const started = Date.now();
    const err = await rejectionOf(() => engine.runRelease(spec, { readyTimeoutMs: 1_500 }));
    expect(err.code).toBe("HEALTHCHECK_FAILED");
    expect(err.message).toMatch(/did not accept connections on port 8080 within 1.5 s/);
    expect(err.details?.logs).toEqual(["waiting"]);
    // The given deadline, not the default one (DEFAULT_READY_TIMEOUT_MS, 30 s) nor the process's 60 s.
    expect(Date.now() - started).toBeLessThan(DEFAULT_READY_TIMEOUT_MS);
    expect(await engine.listManaged({ serviceId: spec.owner.serviceId })).toEqual([]);
  });
});
