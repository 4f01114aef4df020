import { describe, expect, it } from "vitest";
import { chartPaths, formatBytes, formatPercent, mergePoints, type MetricPointView } from "./metrics";

const p = (time: string, cpu = 1): MetricPointView => ({
  time,
  cpuPercent: cpu,
  memoryBytes: 0,
  memoryLimitBytes: 0,
  rxBytesPerSec: 0,
  txBytesPerSec: 0,
  restartCount: 0,
});

describe("metrics helpers", () => {
  it("formats bytes and percentages", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(300 * 1024 * 1024)).toBe("300 MiB");
    expect(formatBytes(-1)).toBe("—");
    expect(formatPercent(3.14159)).toBe("3.1%");
    expect(formatPercent(42.6)).toBe("43%");
  });

  it("merges stored and live points: time order, no duplicates, only the last hour", () => {
    const merged = mergePoints(
      [p("2026-11-28T10:00:00.000Z"), p("2026-11-28T10:30:00.000Z", 1)],
      [p("2026-11-28T10:30:00.000Z", 2), p("2026-11-28T11:00:05.000Z")],
    );
    expect(merged.map((x) => [x.time.slice(11, 19), x.cpuPercent])).toEqual([
      ["10:30:00", 2],
      ["11:00:05", 1],
    ]);
  });

  it("chart paths share one scale; the top is the limit when given", () => {
    const { paths, top } = chartPaths(
      [
        {
          label: "a",
          values: [
            { t: 0, v: 0 },
            { t: 10, v: 50 },
          ],
        },
      ],
      100,
      40,
      100,
    );
    expect(top).toBe(100);
    expect(paths[0]).toBe("M0.0,40.0 L100.0,20.0");
    expect(chartPaths([{ label: "a", values: [{ t: 5, v: 2 }] }], 100, 40).paths[0]).toBe("M100.0,0.0");
  });
});
