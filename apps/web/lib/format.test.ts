import { describe, expect, it } from "vitest";
import { durationBetween, formatBytes, formatDuration } from "./format";

describe("durations", () => {
  it("formats ms, seconds, minutes and hours", () => {
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(12_400)).toBe("12 s");
    expect(formatDuration(184_000)).toBe("3 min 4 s");
    expect(formatDuration(3_720_000)).toBe("1 h 2 min");
    expect(formatDuration(-1)).toBe("—");
  });

  it("measures start to finish, or to now while running; nothing before the start", () => {
    expect(durationBetween("2026-01-01T00:00:00Z", "2026-01-01T00:00:05Z")).toBe("5 s");
    expect(durationBetween("2026-01-01T00:00:00Z", null, Date.parse("2026-01-01T00:01:00Z"))).toBe("1 min");
    expect(durationBetween(null, null)).toBe("—");
  });
});

describe("sizes", () => {
  it("formats bytes in binary units, and an unknown size as such", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(20 * 1024 * 1024)).toBe("20 MiB");
    expect(formatBytes(1024 ** 3)).toBe("1 GiB");
    expect(formatBytes(null)).toBe("Unknown");
  });
});
