import { describe, expect, it } from "vitest";
import { targetPath } from "./tar-io.ts";

describe("targetPath", () => {
  it("keeps archive entries inside their directory", () => {
    expect(targetPath("/var/lib/berth/caddy", "proxy", "proxy/pki/root.crt")).toBe("/var/lib/berth/caddy/pki/root.crt");
    expect(targetPath("/var/lib/berth/caddy", "proxy", "proxy/pki/")).toBe("/var/lib/berth/caddy/pki");
    for (const name of ["proxy/../etc/passwd", "proxy//etc/passwd", "proxy/a/../../x", "backups/x", "proxy/./x"])
      expect(targetPath("/var/lib/berth/caddy", "proxy", name), name).toBeNull();
  });
});
