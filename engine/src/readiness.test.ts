import { describe, expect, it } from "vitest";
import type { EngineApi } from "./engine-api.ts";
import { waitUntilReady } from "./readiness.ts";

interface FakeState {
  Status: "running" | "exited" | "created";
  Running: boolean;
  Restarting?: boolean;
  ExitCode?: number;
  StartedAt: string;
  RestartCount?: number;
}

/** An engine whose container goes through `states`, one per inspect (the last one repeats). */
function fakeApi(states: FakeState[]): { api: EngineApi; inspections: () => number } {
  let n = 0;
  const inspect = async () => {
    const s = states[Math.min(n, states.length - 1)] as FakeState;
    n += 1;
    return {
      Id: "c1",
      State: { ...s, Restarting: s.Restarting ?? false },
      RestartCount: s.RestartCount ?? 0,
      NetworkSettings: { Ports: {}, Networks: {} },
    };
  };
  const api = {
    call: (_op: string, _res: string, fn: (signal: AbortSignal) => Promise<unknown>) => fn(new AbortController().signal),
    docker: { getContainer: () => ({ inspect }) },
  };
  return { api: api as unknown as EngineApi, inspections: () => n };
}

const now = () => new Date().toISOString();
const running = (startedAt = now()): FakeState => ({ Status: "running", Running: true, StartedAt: startedAt });

describe("waitUntilReady with a running gate", () => {
  it("is ready once the container has run stableMs, with hostPort null for a worker", async () => {
    const { api } = fakeApi([running()]);
    const started = Date.now();
    const result = await waitUntilReady(api, { containerId: "c1", timeoutMs: 5_000, gate: { kind: "running", stableMs: 300 } });
    expect(result).toMatchObject({ ready: true, hostPort: null });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("counts from StartedAt: a container running for a minute is ready at once", async () => {
    const { api, inspections } = fakeApi([running(new Date(Date.now() - 60_000).toISOString())]);
    const result = await waitUntilReady(api, { containerId: "c1", timeoutMs: 5_000, gate: { kind: "running", stableMs: 5_000 } });
    expect(result.ready).toBe(true);
    expect(inspections()).toBe(1);
  });

  it("fails at once on a restart or an exit before the stable period", async () => {
    const restarted = fakeApi([running(), running(), { ...running(), RestartCount: 1 }]);
    const a = await waitUntilReady(restarted.api, { containerId: "c1", timeoutMs: 5_000, gate: { kind: "running", stableMs: 10_000 } });
    expect(a).toMatchObject({ ready: false, reason: "exited and was restarted 1 time(s)" });
    const exited = fakeApi([running(), { Status: "exited", Running: false, ExitCode: 3, StartedAt: now() }]);
    const b = await waitUntilReady(exited.api, { containerId: "c1", timeoutMs: 5_000, gate: { kind: "running", stableMs: 10_000 } });
    expect(b).toMatchObject({ ready: false, exitCode: 3, reason: "exited with code 3" });
  });

  it("is never cut off by a deadline shorter than its stable period", async () => {
    const { api } = fakeApi([running()]);
    const result = await waitUntilReady(api, { containerId: "c1", timeoutMs: 50, gate: { kind: "running", stableMs: 300 } });
    expect(result.ready).toBe(true);
  });
});
