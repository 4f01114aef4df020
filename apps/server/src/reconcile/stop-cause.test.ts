import { describe, expect, it } from "vitest";
import { describeStopCause, withStopCause } from "./stop-cause.ts";
import { EngineWatch } from "../overview/engine-watch.ts";

describe("describeStopCause", () => {
  it("names an OOM kill with the limit, a failing exit code, and nothing for a clean or unknown exit", () => {
    expect(describeStopCause({ oomKilled: true, exitCode: 137, memoryLimitBytes: 16 * 1024 ** 2 })).toBe(
      "killed for running out of memory, limit 16 MiB",
    );
    expect(describeStopCause({ oomKilled: true, exitCode: 137, memoryLimitBytes: null })).toBe("killed for running out of memory");
    expect(describeStopCause({ oomKilled: false, exitCode: 3, memoryLimitBytes: null })).toBe("exit code 3");
    expect(describeStopCause({ oomKilled: false, exitCode: 0, memoryLimitBytes: null })).toBeNull();
    expect(describeStopCause({ oomKilled: false, exitCode: null, memoryLimitBytes: null })).toBeNull();
  });
});

describe("withStopCause", () => {
  const MiB16 = 16 * 1024 ** 2;
  const engineReading = (...reads: Array<{ oomKilled: boolean; exitCode: number | null; memoryLimitBytes: number | null }>) => {
    let n = 0;
    return { engine: { containerStatus: async () => reads[Math.min(n++, reads.length - 1)]! } } as never;
  };
  const noPause = async () => undefined;

  it("reads a SIGKILL under a memory limit again: the engine marks the OOM kill just after the exit", async () => {
    const deps = engineReading(
      { oomKilled: false, exitCode: 137, memoryLimitBytes: MiB16 },
      { oomKilled: true, exitCode: 137, memoryLimitBytes: MiB16 },
    );
    expect(await withStopCause(deps, "stopped", ["c1"], noPause)).toBe("stopped (killed for running out of memory, limit 16 MiB)");
  });

  it("gives up after a few reads and says the exit code; other exits are read once", async () => {
    const pauses: number[] = [];
    const record = async (ms: number) => void pauses.push(ms);
    expect(
      await withStopCause(engineReading({ oomKilled: false, exitCode: 137, memoryLimitBytes: MiB16 }), "stopped", ["c1"], record),
    ).toBe("stopped (exit code 137)");
    expect(pauses).toHaveLength(3);
    pauses.length = 0;
    expect(await withStopCause(engineReading({ oomKilled: false, exitCode: 137, memoryLimitBytes: null }), "stopped", ["c1"], record)).toBe(
      "stopped (exit code 137)",
    );
    expect(await withStopCause(engineReading({ oomKilled: false, exitCode: 3, memoryLimitBytes: MiB16 }), "stopped", ["c1"], record)).toBe(
      "stopped (exit code 3)",
    );
    expect(pauses).toEqual([]);
  });
});

describe("withStopCause with the engine's event stream", () => {
  it("takes an OOM kill the event stream saw for the container's current run when inspect misses it", async () => {
    const watch = new EngineWatch({ engine: {} as never, log: { warn() {} } as never });
    const event = {
      containerId: "c1",
      containerName: "n",
      owner: { teamId: "t", projectId: "p", serviceId: "s" },
      deploymentId: "d",
      time: new Date().toISOString(),
    } as const;
    watch.record({ ...event, type: "oom" } as never);
    const deps = {
      engine: { containerStatus: async () => ({ oomKilled: false, exitCode: 137, memoryLimitBytes: 16 * 1024 ** 2 }) },
      engineWatch: watch,
    } as never;
    expect(await withStopCause(deps, "stopped", ["c1"], async () => undefined)).toBe(
      "stopped (killed for running out of memory, limit 16 MiB)",
    );
    watch.record({ ...event, type: "start" } as never);
    expect(await withStopCause(deps, "stopped", ["c1"], async () => undefined)).toBe("stopped (exit code 137)");
  });
});
