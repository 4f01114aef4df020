import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { registryConfigOf } from "./registry-config.ts";
import { htpasswdLine } from "./registry-credentials.ts";

describe("htpasswdLine", () => {
  it("is a bcrypt line the password matches, the same on every call, and without the password", () => {
    const auth = { username: "berth", password: "a-random-password-of-some-length" };
    const line = htpasswdLine(auth);
    expect(line).toMatch(/^berth:\$2b\$10\$[./A-Za-z0-9]{53}$/);
    expect(htpasswdLine(auth)).toBe(line);
    expect(line).not.toContain(auth.password);
    expect(bcrypt.compareSync(auth.password, line.slice("berth:".length))).toBe(true);
    expect(bcrypt.compareSync(`${auth.password}x`, line.slice("berth:".length))).toBe(false);
    expect(htpasswdLine({ ...auth, password: `${auth.password}x` })).not.toBe(line);
  });
});

describe("registryConfigOf", () => {
  it("defaults to the official images on port 5000, unencrypted", () => {
    expect(registryConfigOf({})).toEqual({ image: "registry:2", forwarderImage: "alpine/socat", port: 5000, encrypted: false });
    expect(
      registryConfigOf({
        BERTH_REGISTRY_IMAGE: "r:1",
        BERTH_REGISTRY_FORWARDER_IMAGE: "s:1",
        BERTH_REGISTRY_PORT: 5111,
        BERTH_REGISTRY_ENCRYPTED: "on",
      }),
    ).toEqual({ image: "r:1", forwarderImage: "s:1", port: 5111, encrypted: true });
  });
});
