import { describe, expect, it } from "vitest";
import { describeStopCause } from "./stop-cause.ts";

describe("describeStopCause", () => {
  it("names an OOM kill with the limit, a failing exit code, and nothing for a clean or unknown exit", () => {
    expect(describeStopCause({ oomKilled: true, exitCode: 137, memoryLimitBytes: 16 * 1024 ** 2 })).toBe("killed for running out of memory, limit 16 MiB");
    expect(describeStopCause({ oomKilled: true, exitCode: 137, memoryLimitBytes: null })).toBe("killed for running out of memory");
    expect(describeStopCause({ oomKilled: false, exitCode: 3, memoryLimitBytes: null })).toBe("exit code 3");
    expect(describeStopCause({ oomKilled: false, exitCode: 0, memoryLimitBytes: null })).toBeNull();
    expect(describeStopCause({ oomKilled: false, exitCode: null, memoryLimitBytes: null })).toBeNull();
  });
});
