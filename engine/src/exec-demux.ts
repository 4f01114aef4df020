/**
 * Split the Engine API's multiplexed exec stream (8-byte frame headers: stream type, 0 0 0,
 * big-endian length) into stdout and stderr WITH backpressure: a slow stdout reader (an S3
 * upload of a database dump) pauses the socket instead of letting output pile up in memory,
 * which docker-modem's demuxStream would do. stderr is small (logs) and never waits.
 */
import { Writable, type Readable } from "node:stream";

const HEADER_BYTES = 8;

export function demuxExecStream(source: Readable, stdout: Writable, stderr: Writable): Writable {
  let pending: Buffer = Buffer.alloc(0);
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      let wait = false;
      while (pending.length >= HEADER_BYTES) {
        const length = pending.readUInt32BE(4);
        if (pending.length < HEADER_BYTES + length) break;
        const payload = pending.subarray(HEADER_BYTES, HEADER_BYTES + length);
        // stdin (0) never comes back; 2 is stderr, everything else stdout.
        if (pending[0] === 2) stderr.write(payload);
        else if (!stdout.write(payload)) wait = true;
        pending = pending.subarray(HEADER_BYTES + length);
      }
      if (wait && !stdout.writableEnded) stdout.once("drain", () => done());
      else done();
    },
  });
  source.pipe(sink);
  return sink;
}
