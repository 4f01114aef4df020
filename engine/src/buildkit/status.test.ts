import { describe, expect, it } from "vitest";
import { BuildkitStatusDecoder } from "./status.ts";
import { encodeBytesField, encodeVarintField } from "./wire.ts";

const str = (field: number, value: string) => encodeBytesField(field, Buffer.from(value));
const ts = (field: number, seconds: number, nanos = 0) =>
  encodeBytesField(field, Buffer.concat([encodeVarintField(1, seconds), encodeVarintField(2, nanos)]));
const vertex = (...parts: Buffer[]) => encodeBytesField(1, Buffer.concat(parts));
const log = (digest: string, msg: string) => encodeBytesField(3, Buffer.concat([str(1, digest), encodeVarintField(3, 1), str(4, msg)]));
const aux = (...parts: Buffer[]) => Buffer.concat(parts).toString("base64");

describe("BuildkitStatusDecoder", () => {
  it("announces each step once, then its output line by line and how it ended", () => {
    const d = new BuildkitStatusDecoder();
    const run = [str(1, "sha256:a"), str(3, "[2/2] RUN make")];
    expect(d.decode(aux(vertex(...run), vertex(str(1, "sha256:b"), str(3, "[1/2] FROM x"), encodeVarintField(4, 1), ts(6, 5))))).toEqual([
      { text: "#1 [2/2] RUN make", isError: false },
      { text: "#2 [1/2] FROM x", isError: false },
      { text: "#2 CACHED", isError: false },
    ]);
    expect(d.decode(aux(vertex(...run, ts(5, 10)), log("sha256:a", "one\ntw")))).toEqual([{ text: "#1 one", isError: false }]);
    expect(d.decode(aux(log("sha256:a", "o\n"), vertex(...run, ts(5, 10), ts(6, 11, 500_000_000))))).toEqual([
      { text: "#1 two", isError: false },
      { text: "#1 DONE 1.5s", isError: false },
    ]);
    expect(d.decode(aux(vertex(...run, ts(6, 12))))).toEqual([]);
  });

  it("reports a failed step as an error line and flushes output without a newline", () => {
    const d = new BuildkitStatusDecoder();
    expect(d.decode(aux(vertex(str(1, "d"), str(3, "RUN false")), log("d", "partial")))).toEqual([
      { text: "#1 RUN false", isError: false },
    ]);
    expect(d.decode(aux(vertex(str(1, "d"), str(7, "exit code: 1"))))).toEqual([
      { text: "#1 partial", isError: false },
      { text: "#1 ERROR: exit code: 1", isError: true },
    ]);
    expect(d.decode(aux(log("d", "late")))).toEqual([]);
    expect(d.flush()).toEqual([{ text: "#1 late", isError: false }]);
  });

  it("throws on a malformed message (the progress reader keeps it as text)", () => {
    expect(() => new BuildkitStatusDecoder().decode(Buffer.from([0x0a, 0x05, 0x01]).toString("base64"))).toThrow(/truncated/);
  });
});
