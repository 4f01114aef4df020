import { describe, expect, it } from "vitest";
import { filterLogLines, LogBuffer, logLinesAsText, tasksOfLines, type IncomingLogLine } from "./log-buffer";

const line = (n: number, stream: IncomingLogLine["stream"] = "stdout"): IncomingLogLine => ({
  stream,
  time: `2026-01-01T00:00:${String(n).padStart(2, "0")}Z`,
  text: `hello line ${n}`,
});

describe("LogBuffer", () => {
  it("appends in arrival order with increasing ids", () => {
    const buffer = new LogBuffer();
    expect(buffer.append([line(1), line(2, "stderr")])).toBe(2);
    expect(buffer.lines.map((l) => [l.id, l.text, l.stream])).toEqual([
      [1, "hello line 1", "stdout"],
      [2, "hello line 2", "stderr"],
    ]);
  });

  it("drops lines already seen (the tail replayed after a re-subscribe)", () => {
    const buffer = new LogBuffer();
    buffer.append([line(1), line(2)]);
    expect(buffer.append([line(1), line(2), line(3)])).toBe(1);
    expect(buffer.lines.map((l) => l.text)).toEqual(["hello line 1", "hello line 2", "hello line 3"]);
  });

  it("keeps the same text at another time", () => {
    const buffer = new LogBuffer();
    buffer.append([line(1), { ...line(1), time: "2026-01-01T00:01:00Z" }]);
    expect(buffer.lines).toHaveLength(2);
  });

  it("keeps only the newest max lines and forgets the dropped ones", () => {
    const buffer = new LogBuffer(3);
    for (let n = 1; n <= 5; n++) buffer.append([line(n)]);
    expect(buffer.lines.map((l) => l.text)).toEqual(["hello line 3", "hello line 4", "hello line 5"]);
    expect(buffer.seenCount).toBe(3);
  });

  it("holds 100k lines and filters them", () => {
    const buffer = new LogBuffer();
    const batch = Array.from({ length: 100_000 }, (_, n) => ({
      stream: n % 10 === 0 ? ("stderr" as const) : ("stdout" as const),
      time: `t${n}`,
      text: `request ${n} ${n % 1000 === 0 ? "ERROR" : "ok"}`,
    }));
    buffer.append(batch);
    // A quadratic filter (10^10 steps here) would not end within the test's timeout; the viewer's
    // speed with 100k lines is measured in e2e (git-deploy.spec.ts) and the benchmarks.
    const errors = filterLogLines(buffer.lines, "error", "all");
    expect(errors).toHaveLength(100);
  });
});

describe("filterLogLines / logLinesAsText", () => {
  const buffer = new LogBuffer();
  buffer.append([line(1), line(2, "stderr"), { stream: "stdout", time: "x", text: "Listening on 8080" }]);

  it("matches text case-insensitively and by stream", () => {
    expect(filterLogLines(buffer.lines, "LISTENING", "all").map((l) => l.text)).toEqual(["Listening on 8080"]);
    expect(filterLogLines(buffer.lines, "", "stderr").map((l) => l.text)).toEqual(["hello line 2"]);
    expect(filterLogLines(buffer.lines, "  ", "all")).toBe(buffer.lines);
  });

  it("writes one line per log line with time and stream", () => {
    expect(logLinesAsText(buffer.lines.slice(0, 2))).toBe(
      "2026-01-01T00:00:01Z stdout hello line 1\n2026-01-01T00:00:02Z stderr hello line 2\n",
    );
  });
});

describe("a cluster service's lines", () => {
  const onA = { ...line(1), task: "#1 on a", taskId: "ta" };
  const onB = { ...line(1), task: "#2 on b", taskId: "tb" };

  it("keeps the same line of two tasks apart, filters by task and lists the tasks seen", () => {
    const buffer = new LogBuffer();
    expect(buffer.append([onA, onB, onA])).toBe(2);
    expect(filterLogLines(buffer.lines, "", "all", "tb").map((l) => l.task)).toEqual(["#2 on b"]);
    expect(tasksOfLines(buffer.lines)).toEqual([
      { id: "ta", label: "#1 on a" },
      { id: "tb", label: "#2 on b" },
    ]);
    expect(logLinesAsText(buffer.lines.slice(0, 1))).toBe("2026-01-01T00:00:01Z stdout [#1 on a] hello line 1\n");
  });
});
