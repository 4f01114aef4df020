import { describe, expect, it } from "vitest";
import { packTar } from "./tar.ts";

function field(block: Buffer, offset: number, length: number): string {
  return block
    .subarray(offset, offset + length)
    .toString("utf8")
    .replace(/\0.*$/s, "");
}

describe("packTar", () => {
  it("writes a ustar header, the data padded to 512 bytes, and two end blocks", () => {
    const tar = packTar([
      { name: "Dockerfile", data: "FROM scratch\n" },
      { name: "bin/run.sh", data: Buffer.from("#!/bin/sh\n"), mode: 0o755 },
    ]);
    expect(tar.length).toBe(512 * 2 + 512 * 2 + 1024);
    const first = tar.subarray(0, 512);
    expect(field(first, 0, 100)).toBe("Dockerfile");
    expect(field(first, 100, 8)).toBe("0000644");
    expect(Number.parseInt(field(first, 124, 12), 8)).toBe(13);
    expect(field(first, 156, 1)).toBe("0");
    expect(field(first, 257, 6)).toBe("ustar");
    expect(tar.subarray(512, 525).toString()).toBe("FROM scratch\n");
    expect(tar.subarray(525, 1024).every((b) => b === 0)).toBe(true);
    const second = tar.subarray(1024, 1536);
    expect(field(second, 0, 100)).toBe("bin/run.sh");
    expect(field(second, 100, 8)).toBe("0000755");
    expect(tar.subarray(tar.length - 1024).every((b) => b === 0)).toBe(true);
  });

  it("writes a checksum that matches the header bytes", () => {
    const header = packTar([{ name: "a", data: "x" }]).subarray(0, 512);
    const stored = Number.parseInt(field(header, 148, 8).trim(), 8);
    const copy = Buffer.from(header);
    copy.fill(0x20, 148, 156);
    expect(stored).toBe(copy.reduce((sum, b) => sum + b, 0));
  });

  it("does not pad data that fills whole blocks", () => {
    expect(packTar([{ name: "b", data: Buffer.alloc(1024, 1) }]).length).toBe(512 + 1024 + 1024);
  });

  it.each(["", "/etc/passwd", "../x", "a/../../x", "a\0b", "n".repeat(101)])("rejects entry name %j", (name) => {
    expect(() => packTar([{ name, data: "x" }])).toThrow();
  });
});
