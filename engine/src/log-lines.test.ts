import { describe, expect, it } from "vitest";
import { demuxFrames, FrameDemuxer, LineSplitter, linesOfFrames, parseTimestampedLine } from "./log-lines.ts";

function frame(type: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text, "utf8");
  const header = Buffer.alloc(8);
  header.writeUInt8(type, 0);
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

function splitAll(chunks: Array<Buffer | string>, flush = true): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((l) => lines.push(l));
  chunks.forEach((c) => splitter.push(c));
  if (flush) splitter.flush();
  return lines;
}

describe("LineSplitter", () => {
  it("joins lines across chunk boundaries", () => {
    expect(splitAll(["hel", "lo\nwor", "ld\n", "\nlast"], false)).toEqual(["hello", "world", ""]);
    expect(splitAll(["hel", "lo\nwor", "ld\n", "\nlast"])).toEqual(["hello", "world", "", "last"]);
  });

  it("strips CR of CRLF endings", () => {
    expect(splitAll(["a\r\nb\r", "\n"])).toEqual(["a", "b"]);
  });

  it("keeps multi-byte characters split between chunks intact", () => {
    const bytes = Buffer.from("ship 🚢 ok\nnext é\n", "utf8");
    const chunks = Array.from(bytes, (b) => Buffer.from([b])); // one byte at a time
    expect(splitAll(chunks)).toEqual(["ship 🚢 ok", "next é"]);
  });

  it("emits nothing for an empty stream", () => {
    expect(splitAll([])).toEqual([]);
  });
});

describe("parseTimestampedLine", () => {
  it("reads the leading RFC3339 timestamp", () => {
    expect(parseTimestampedLine("2024-05-01T10:00:00.123456789Z out 1", "stdout")).toEqual({
      stream: "stdout",
      time: "2024-05-01T10:00:00.123456789Z",
      text: "out 1",
    });
    expect(parseTimestampedLine("2024-05-01T10:00:00+02:00 x y ", "stderr")).toEqual({
      stream: "stderr",
      time: "2024-05-01T10:00:00+02:00",
      text: "x y ",
    });
  });

  it("keeps the text whole when there is no timestamp", () => {
    expect(parseTimestampedLine("no time here", "stdout")).toEqual({ stream: "stdout", time: "", text: "no time here" });
    expect(parseTimestampedLine("2024-05-01 10:00 nope", "stdout").time).toBe("");
  });

  it("keeps an empty message after a timestamp", () => {
    expect(parseTimestampedLine("2024-05-01T10:00:00Z ", "stdout")).toEqual({ stream: "stdout", time: "2024-05-01T10:00:00Z", text: "" });
  });
});

describe("demuxFrames", () => {
  it("separates stdout and stderr frames", () => {
    const buffer = Buffer.concat([frame(1, "out 1\n"), frame(2, "err 1\n"), frame(1, "out 2\n")]);
    expect(demuxFrames(buffer).map((f) => [f.stream, f.payload.toString()])).toEqual([
      ["stdout", "out 1\n"],
      ["stderr", "err 1\n"],
      ["stdout", "out 2\n"],
    ]);
  });

  it("treats bytes without a valid header as stdout", () => {
    expect(demuxFrames(Buffer.from("plain text")).map((f) => [f.stream, f.payload.toString()])).toEqual([["stdout", "plain text"]]);
    expect(demuxFrames(Buffer.alloc(0))).toEqual([]);
  });

  it("turns frames into lines per stream", () => {
    const buffer = Buffer.concat([frame(1, "bo"), frame(2, "oops\n"), frame(1, "om\n"), frame(1, "tail")]);
    expect(linesOfFrames(demuxFrames(buffer))).toEqual(["oops", "boom", "tail"]);
  });
});

describe("FrameDemuxer", () => {
  const frame = (type: number, text: string) => {
    const payload = Buffer.from(text);
    const header = Buffer.alloc(8);
    header.writeUInt8(type, 0);
    header.writeUInt32BE(payload.length, 4);
    return Buffer.concat([header, payload]);
  };

  it("splits frames across arbitrary chunk boundaries, in order", () => {
    const all = Buffer.concat([frame(1, "a\n"), frame(2, "err\n"), frame(1, "b".repeat(300))]);
    for (const size of [1, 3, 8, 9, 50, all.length]) {
      const got: string[] = [];
      const demuxer = new FrameDemuxer((stream, payload) => got.push(`${stream}:${payload.toString()}`));
      for (let i = 0; i < all.length; i += size) demuxer.push(all.subarray(i, i + size));
      expect(got.join(""), `chunks of ${size}`).toBe(`stdout:a\nstderr:err\nstdout:${"b".repeat(300)}`);
      expect(demuxer.leftover().length).toBe(0);
    }
  });

  it("passes a stream that is not multiplexed (TTY) on as stdout", () => {
    const got: string[] = [];
    const demuxer = new FrameDemuxer((stream, payload) => got.push(`${stream}:${payload.toString()}`));
    demuxer.push(Buffer.from("plain tty output\n"));
    demuxer.push(Buffer.from("more\n"));
    expect(got).toEqual(["stdout:plain tty output\n", "stdout:more\n"]);
  });
});
