import { describe, expect, it } from "vitest";
import { HistoryBoundary, timeKey } from "./log-boundary.ts";

const at = (time: string, text: string, stream: "stdout" | "stderr" = "stdout") => ({ stream, time: `2026-12-05T15:00:${time}Z`, text });

describe("HistoryBoundary", () => {
  it("drops live lines the history holds, keeps the ones after its last time", () => {
    const boundary = new HistoryBoundary([at("01.1", "a"), at("01.2", "b"), at("01.3", "c")]);
    expect(boundary.admit([at("01.2", "b"), at("01.3", "c")])).toEqual([]);
    expect(boundary.passed).toBe(true);
    expect(boundary.admit([at("01.4", "d")]).map((l) => l.text)).toEqual(["d"]);
  });

  it("matches lines sharing the last timestamp one for one, and keeps a further one at that time", () => {
    const boundary = new HistoryBoundary([at("01.1", "a"), at("02", "x"), at("02", "x"), at("02", "y", "stderr")]);
    // The live stream saw one "x" the history also has, then a new "x" and "z" at the same nanosecond.
    expect(boundary.admit([at("02", "x"), at("02", "z")]).map((l) => l.text)).toEqual(["z"]);
    expect(boundary.passed).toBe(false);
    expect(boundary.admit([at("02", "y", "stderr"), at("02", "x")]).map((l) => l.text)).toEqual([]);
    expect(boundary.passed).toBe(true);
    expect(boundary.admit([at("02", "x")]).map((l) => l.text)).toEqual(["x"]);
  });

  it("passes at once for an empty history and when the live stream starts after it", () => {
    expect(new HistoryBoundary([]).passed).toBe(true);
    const boundary = new HistoryBoundary([at("01", "a")]);
    expect(boundary.admit([at("00.5", "older"), at("03", "b")]).map((l) => l.text)).toEqual(["b"]);
    expect(boundary.passed).toBe(true);
  });
});

describe("timeKey", () => {
  it("orders RFC3339Nano times whose trailing zeros were trimmed", () => {
    expect(timeKey("2026-12-05T15:00:05.1Z") > timeKey("2026-12-05T15:00:05.09Z")).toBe(true);
    expect(timeKey("2026-12-05T15:00:05Z") < timeKey("2026-12-05T15:00:05.000000001Z")).toBe(true);
    expect(timeKey("2026-12-05T16:00:05+01:00")).toBe(timeKey("2026-12-05T15:00:05Z"));
    expect(timeKey("")).toBe("");
  });
});
