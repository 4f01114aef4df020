import { describe, expect, it } from "vitest";
import { EngineError } from "@berth/engine";
import { dockerfileInContext } from "./builders.ts";
import { CancelledError, classifyFailure, describeFailure, StageTimeoutError } from "./failure.ts";
import { openReleaseConfig, sealReleaseConfig, type ReleaseConfig } from "./release-config.ts";
import { DEFAULT_RUNTIME } from "../services/runtime-settings.ts";
import { SealedBox } from "../secrets/sealed-box.ts";
import { DEFAULT_STAGE_TIMEOUTS_S, stageTimeoutsMs } from "./stage-timeouts.ts";

const none = { cloneTimeoutS: null, buildTimeoutS: null, startTimeoutS: null, healthTimeoutS: null };

describe("stage timeouts", () => {
  it("uses the defaults, then instance defaults, then per-service overrides", () => {
    expect(stageTimeoutsMs(none)).toEqual({ clone: DEFAULT_STAGE_TIMEOUTS_S.clone * 1000, build: 900_000, start: 120_000, health: 30_000 });
    expect(stageTimeoutsMs(none, { health: 5 }).health).toBe(5000);
    expect(stageTimeoutsMs({ ...none, buildTimeoutS: 2 }, { health: 5 })).toMatchObject({ build: 2000, health: 5000 });
  });
});

describe("classifyFailure", () => {
  const engine = (code: ConstructorParameters<typeof EngineError>[0]["code"], message: string, details?: Record<string, unknown>) =>
    new EngineError({ code, operation: "op", resource: "r", message, details });
  it("maps cancels, timeouts, health-gate timeouts and other failures to their terminal status", () => {
    expect(classifyFailure(new Error("x"), true)).toEqual({ status: "cancelled", reason: "Cancelled by a user" });
    expect(classifyFailure(new CancelledError(), false).status).toBe("cancelled");
    expect(classifyFailure(new StageTimeoutError("clone", 3), false)).toEqual({
      status: "timed_out",
      reason: "The clone stage did not finish within 3 s",
    });
    expect(classifyFailure(engine("TIMEOUT", "pull took too long"), false).status).toBe("timed_out");
    expect(
      classifyFailure(engine("HEALTHCHECK_FAILED", "did not accept connections on port 1 within 5 s", { logs: ["a"] }), false).status,
    ).toBe("timed_out");
    expect(classifyFailure(engine("HEALTHCHECK_FAILED", "exited with code 1 within 5 s", { exitCode: 1, logs: ["boom"] }), false)).toEqual({
      status: "failed",
      reason: "exited with code 1 within 5 s\nLast log lines:\nboom",
    });
    expect(classifyFailure(engine("BUILD_FAILED", "build: step failed", { logs: ["l1"] }), false)).toEqual({
      status: "failed",
      reason: "build: step failed",
    });
  });
});

describe("helpers", () => {
  it("places the Dockerfile relative to the build context, refusing one outside it", () => {
    expect(dockerfileInContext(".", "Dockerfile")).toBe("Dockerfile");
    expect(dockerfileInContext("app", "app/docker/Dockerfile")).toBe("docker/Dockerfile");
    expect(dockerfileInContext("app", "Dockerfile")).toBeNull();
  });
  it("reads a release config snapshot (sealed, or plaintext from before sealing); null for rows without one", () => {
    const box = new SealedBox("k".repeat(64));
    const config: ReleaseConfig = {
      kind: "worker",
      containerPort: null,
      env: { A: "1" },
      runtime: { ...DEFAULT_RUNTIME, command: ["sh", "-c", "work"], limits: { cpus: 0.5, memoryMb: 256, pidsLimit: 100, shmMb: null } },
      replicas: 2,
      strategy: "stop_first",
      volumes: [{ name: "data", mountPath: "/data", readOnly: false, hostPath: null }],
    };
    const sealed = sealReleaseConfig(config, box);
    expect(JSON.stringify(sealed)).not.toContain('"A"');
    expect(openReleaseConfig(JSON.parse(JSON.stringify(sealed)), box)).toEqual(config);
    // A snapshot from before runtime settings existed reads as one web container with defaults.
    expect(openReleaseConfig({ containerPort: 8080, env: { A: "1" } }, box)).toEqual({
      kind: "web",
      containerPort: 8080,
      env: { A: "1" },
      runtime: DEFAULT_RUNTIME,
      replicas: 1,
      strategy: "start_first",
      volumes: [],
    });
    expect(openReleaseConfig({}, box)).toBeNull();
    expect(() => openReleaseConfig({ ...sealed, envSealed: sealed.envSealed.slice(0, -4) + "AAAA" }, box)).toThrow();
    expect(openReleaseConfig({ kind: "web", env: {} }, box)).toBeNull();
  });
});

describe("describeFailure", () => {
  it("keeps the container's log lines as lines and names no internal container", () => {
    const err = new EngineError({
      code: "HEALTHCHECK_FAILED",
      operation: "health check",
      resource: "berth-web-1a2b3c4d-5e6f7a8b",
      message:
        "berth-web-1a2b3c4d-5e6f7a8b-r1 exited with code 3 before it accepted connections (container 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef)",
      details: { logs: ["starting", "error: PORT is not set", "bye"] },
    });
    expect(describeFailure(err)).toBe(
      "the new container exited with code 3 before it accepted connections (container the new container)\nLast log lines:\nstarting\nerror: PORT is not set\nbye",
    );
    expect(describeFailure(new Error("could not stop berth-api-deadbeef-cafebabe"))).toBe("could not stop the new container");
  });

  it.each([
    "driver failed programming external connectivity on endpoint berth-pg-1a2b3c4d-5e6f7a8b: Bind for 0.0.0.0:15432 failed: port is already allocated",
    "failed to bind host port for 127.0.0.1:15432:172.18.0.2:5432/tcp: listen tcp4 127.0.0.1:15432: bind: address already in use",
  ])("says a fixed host port taken at start is in use: %s", (message) => {
    const err = new EngineError({ code: "ENGINE_ERROR", operation: "start container", resource: "pg", message });
    expect(describeFailure(err)).toMatch(/^Port 15432 is already in use on this server: choose another port\. The engine said: /);
    expect(
      describeFailure(
        new EngineError({ code: "ENGINE_ERROR", operation: "start container", resource: "pg", message: "no space left on device" }),
      ),
    ).toBe("no space left on device");
  });
});
