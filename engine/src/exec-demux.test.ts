import { PassThrough, Readable } from "node:stream";
import { setImmediate as tick } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { demuxExecStream } from "./exec-demux.ts";

const frame = (type: number, payload: Buffer) => {
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

describe("demuxExecStream", () => {
  it("splits frames cut anywhere into stdout and stderr", async () => {
    const bytes = Buffer.concat([frame(1, Buffer.from("out-1 ")), frame(2, Buffer.from("err")), frame(1, Buffer.from("out-2"))]);
    // One byte per chunk: every header and payload arrives split.
    const source = Readable.from([...bytes].map((b) => Buffer.from([b])));
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    stdout.on("data", (c: Buffer) => out.push(c));
    stderr.on("data", (c: Buffer) => err.push(c));
    const sink = demuxExecStream(source, stdout, stderr);
    await new Promise((r) => sink.once("finish", r));
    expect(Buffer.concat(out).toString()).toBe("out-1 out-2");
    expect(Buffer.concat(err).toString()).toBe("err");
  });

  it("stops reading the source while stdout is not read (backpressure), then delivers everything", async () => {
    const chunk = Buffer.alloc(64 * 1024, 7);
    let produced = 0;
    const source = new Readable({
      highWaterMark: 64 * 1024,
      read() {
        if (produced === 200) return this.push(null);
        produced += 1;
        this.push(frame(1, chunk));
      },
    });
    const stdout = new PassThrough({ highWaterMark: 64 * 1024 });
    demuxExecStream(source, stdout, new PassThrough()).once("finish", () => stdout.end());
    for (let i = 0; i < 50; i += 1) await tick();
    // 200 frames (12.5 MiB) exist; unread, only a handful were pulled from the source.
    expect(produced).toBeLessThan(10);
    let received = 0;
    for await (const c of stdout) received += (c as Buffer).length;
    expect(received).toBe(200 * chunk.length);
  });
});
