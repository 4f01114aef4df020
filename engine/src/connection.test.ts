import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { buildDockerOptions, buildHostVerifier } from "./connection.ts";
import { connectionOf } from "./engine-api.ts";
import { EngineError } from "./errors.ts";

const V = "v1.41";
const hostKey = Buffer.from("ssh-ed25519 host key bytes");
const fingerprint = createHash("sha256").update(hostKey).digest("base64").replace(/=+$/, "");

describe("buildDockerOptions", () => {
  it("local socket (default path)", () => {
    expect(buildDockerOptions({ kind: "socket" }, V)).toEqual({
      options: { socketPath: "/var/run/docker.sock", version: V },
      target: "unix:///var/run/docker.sock",
    });
  });

  it("plain TCP on loopback only", () => {
    expect(buildDockerOptions({ kind: "tcp", host: "127.0.0.1", port: 2375 }, V)).toEqual({
      options: { host: "127.0.0.1", port: 2375, protocol: "http", version: V },
      target: "tcp://127.0.0.1:2375",
    });
    expect(() => buildDockerOptions({ kind: "tcp", host: "10.0.0.5" }, V)).toThrow(/only on loopback/);
  });

  it("TCP+TLS with client certificates, secrets kept out of the target", () => {
    const built = buildDockerOptions({ kind: "tls", host: "engine.example.com", ca: "CA", cert: "CERT", key: "SECRET-KEY" }, V);
    expect(built).toEqual({
      options: { host: "engine.example.com", port: 2376, protocol: "https", ca: "CA", cert: "CERT", key: "SECRET-KEY", version: V },
      target: "tcp+tls://engine.example.com:2376",
    });
    expect(() => buildDockerOptions({ kind: "tls", host: "e.example", ca: "", cert: "c", key: "k" }, V)).toThrow(/tls ca is required/);
  });

  it("SSH with a key and a pinned host key", () => {
    const built = buildDockerOptions(
      {
        kind: "ssh",
        host: "build-1.example",
        username: "deploy",
        privateKey: "PRIVATE",
        passphrase: "PASS",
        hostKeySha256: `SHA256:${fingerprint}`,
      },
      V,
    );
    expect(built.target).toBe("ssh://deploy@build-1.example:22");
    expect(built.target).not.toMatch(/PRIVATE|PASS/);
    const options = built.options as {
      protocol: string;
      host: string;
      port: number;
      username: string;
      sshOptions: { privateKey: string; passphrase: string; hostVerifier: (k: Buffer) => boolean };
    };
    expect(options).toMatchObject({ protocol: "ssh", host: "build-1.example", port: 22, username: "deploy", version: V });
    expect(options.sshOptions.privateKey).toBe("PRIVATE");
    expect(options.sshOptions.passphrase).toBe("PASS");
    expect(options.sshOptions.hostVerifier(hostKey)).toBe(true);
    expect(options.sshOptions.hostVerifier(Buffer.from("another key"))).toBe(false);
  });

  it.each([
    [{ kind: "ssh", host: "h.example", username: "u", privateKey: "k", hostKeySha256: "" }, /hostKeySha256/],
    [{ kind: "ssh", host: "h.example", username: "u; rm -rf /", privateKey: "k", hostKeySha256: fingerprint }, /username/],
    [{ kind: "ssh", host: "-oProxyCommand=evil", username: "u", privateKey: "k", hostKeySha256: fingerprint }, /invalid host/],
    [{ kind: "tls", host: "h.example", port: 70000, ca: "a", cert: "b", key: "c" }, /port/],
    [{ kind: "socket", socketPath: "relative.sock" }, /absolute/],
    [{ kind: "carrier-pigeon" }, /kind must be/],
  ])("rejects %j", (connection, pattern) => {
    expect(() => buildDockerOptions(connection as never, V)).toThrow(EngineError);
    expect(() => buildDockerOptions(connection as never, V)).toThrow(pattern);
  });
});

describe("connectionOf (legacy options)", () => {
  it("maps socketPath and host/port onto connections", () => {
    expect(connectionOf({})).toEqual({ kind: "socket" });
    expect(connectionOf({ socketPath: "/run/x.sock" })).toEqual({ kind: "socket", socketPath: "/run/x.sock" });
    expect(connectionOf({ host: "127.0.0.1", port: 1 })).toEqual({ kind: "tcp", host: "127.0.0.1", port: 1 });
    expect(connectionOf({ connection: { kind: "socket", socketPath: "/a" }, host: "127.0.0.1" })).toEqual({
      kind: "socket",
      socketPath: "/a",
    });
  });
  it("the host verifier tolerates base64 padding either way", () => {
    expect(buildHostVerifier(`${fingerprint}=`)(hostKey)).toBe(true);
  });
});
