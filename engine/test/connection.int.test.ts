import { createHash, generateKeyPairSync } from "node:crypto";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { DockerEngine } from "../src/index.ts";
import { rejectionOf } from "./support/hello-image.ts";

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("engine connections", () => {
  it("drives the local engine through an explicit socket connection", async () => {
    const engine = new DockerEngine({ connection: { kind: "socket", socketPath: "/var/run/docker.sock" } });
    await expect(engine.ping()).resolves.toBeUndefined();
    expect(Array.isArray(await engine.listManaged())).toBe(true);
  });

  it("an SSH engine that is not there is ENGINE_UNAVAILABLE at once, without secrets in the message", async () => {
    const port = await closedPort();
    const fingerprint = createHash("sha256").update("k").digest("base64");
    // A key SSH can parse, so the client really dials (a malformed one fails before any traffic).
    const { privateKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    const engine = new DockerEngine({
      connection: { kind: "ssh", host: "127.0.0.1", port, username: "deploy", privateKey, hostKeySha256: fingerprint },
    });
    const err = await rejectionOf(() => engine.ping());
    expect(err.code).toBe("ENGINE_UNAVAILABLE");
    expect(err.message).toContain(`ssh://deploy@127.0.0.1:${port}`);
    // On the refused connection, not at a deadline (SSH_READY_TIMEOUT_MS): no timing needed.
    expect(err.message).toMatch(/ECONNREFUSED/);
    expect(err.message).not.toContain(privateKey.split("\n")[1]);
  });

  it("a TLS engine that is not there is ENGINE_UNAVAILABLE quickly", async () => {
    const port = await closedPort();
    const engine = new DockerEngine({ connection: { kind: "tls", host: "127.0.0.1", port, ca: "CA", cert: "CERT", key: "KEY" } });
    const err = await rejectionOf(() => engine.ping());
    expect(err.code).toBe("ENGINE_UNAVAILABLE");
    expect(err.message).not.toContain("KEY");
  });

  it("refuses plain TCP to a non-loopback host at construction, before any traffic", () => {
    expect(() => new DockerEngine({ connection: { kind: "tcp", host: "192.0.2.10" } })).toThrow(/only on loopback/);
  });
});
