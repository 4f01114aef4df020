import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readProgress } from "./progress.ts";

describe("readProgress", () => {
  it("collects output lines across chunk boundaries", async () => {
    const chunks = [
      '{"stream":"Step 1/2 : FROM scr',
      'atch\\n"}\n{"status":"Downloading","id":"abc"}\n',
      '{"stream":"Successfully built\\n"}',
    ];
    await expect(readProgress(Readable.from(chunks))).resolves.toEqual({
      error: null,
      lines: ["Step 1/2 : FROM scratch", "abc: Downloading", "Successfully built"],
    });
  });

  it("reports the first error from the stream (HTTP 200 with an error inside)", async () => {
    const chunks = [
      '{"stream":"Step 2/2 : RUN false\\n"}\n',
      '{"errorDetail":{"code":1,"message":"returned a non-zero code: 1"},"error":"returned a non-zero code: 1"}\n',
      '{"error":"second"}\n',
    ];
    const result = await readProgress(Readable.from(chunks));
    expect(result.error).toBe("returned a non-zero code: 1");
    expect(result.lines).toContain("Step 2/2 : RUN false");
    expect(result.lines).toContain("ERROR: returned a non-zero code: 1");
  });

  it("keeps malformed lines as text instead of throwing", async () => {
    const result = await readProgress(Readable.from(["not json\n", '{"status":"ok"}\n']));
    expect(result.error).toBeNull();
    expect(result.lines[0]).toMatch(/^\(unparsed engine output: not json/);
    expect(result.lines[1]).toBe("ok");
  });

  it("keeps only the newest maxLines lines", async () => {
    const events = Array.from({ length: 10 }, (_, i) => `{"status":"s${i}"}\n`);
    expect((await readProgress(Readable.from(events), { maxLines: 3 })).lines).toEqual(["s7", "s8", "s9"]);
  });

  it("rejects when the stream errors or closes early", async () => {
    const failing = new PassThrough();
    const errored = readProgress(failing);
    failing.destroy(new Error("socket hang up"));
    await expect(errored).rejects.toThrow("socket hang up");

    const closing = new PassThrough();
    const closed = readProgress(closing);
    closing.write('{"status":"half"}\n');
    closing.destroy();
    await expect(closed).rejects.toThrow(/closed the progress stream/);
  });
});
