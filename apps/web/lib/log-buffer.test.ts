import { describe, expect, it } from "vitest";
import { appendLogLines, emptyLogBuffer, type IncomingLogLine } from "./log-buffer";

const line = (n: number, stream: IncomingLogLine["stream"] = "stdout"): IncomingLogLine => ({ stream, time: `2026-01-01T00:00:${String(n).padStart(2, "0")}Z`, text: `hello line ${n}` });

describe("appendLogLines", () => {
  it("appends in arrival order with increasing ids", () => {
    const buffer = appendLogLines(emptyLogBuffer(), [line(1), line(2, "stderr")]);
    expect(buffer.lines.map((l) => [l.id, l.text, l.stream])).toEqual([
      [1, "hello line 1", "stdout"],
      [2, "hello line 2", "stderr"],
    ]);
  });

  it("drops lines already seen (the tail replayed after a re-subscribe)", () => {
    const first = appendLogLines(emptyLogBuffer(), [line(1), line(2)]);
    const again = appendLogLines(first, [line(1), line(2), line(3)]);
    expect(again.lines.map((l) => l.text)).toEqual(["hello line 1", "hello line 2", "hello line 3"]);
  });

  it("keeps the same text at another time", () => {
    const buffer = appendLogLines(emptyLogBuffer(), [line(1), { ...line(1), time: "2026-01-01T00:01:00Z" }]);
    expect(buffer.lines).toHaveLength(2);
  });

  it("returns the same buffer when nothing is new, so React skips a render", () => {
    const buffer = appendLogLines(emptyLogBuffer(), [line(1)]);
    expect(appendLogLines(buffer, [line(1)])).toBe(buffer);
  });

  it("keeps only the newest max lines and forgets the dropped ones", () => {
    let buffer = emptyLogBuffer();
    for (let n = 1; n <= 5; n++) buffer = appendLogLines(buffer, [line(n)], 3);
    expect(buffer.lines.map((l) => l.text)).toEqual(["hello line 3", "hello line 4", "hello line 5"]);
    expect(buffer.seen.size).toBe(3);
  });
});
