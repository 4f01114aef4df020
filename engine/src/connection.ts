/**
 * Where an engine is and how to reach it: the local socket, a remote engine over TCP+TLS,
 * or over SSH (docker-modem runs `docker system dial-stdio` on the remote host). PURE:
 * options in, dockerode options out; secrets (keys, passphrases) go into the options only,
 * never into `target` (used in messages and logs).
 */
import { createHash } from "node:crypto";
import type Docker from "dockerode";
import { EngineError } from "./errors.ts";

export type EngineConnection =
  | { kind: "socket"; socketPath?: string }
  /** Plain HTTP: allowed on loopback only (an unauthenticated engine is root on its host). */
  | { kind: "tcp"; host: string; port?: number }
  | { kind: "tls"; host: string; port?: number; ca: string | Buffer; cert: string | Buffer; key: string | Buffer }
  | {
      kind: "ssh";
      host: string;
      port?: number;
      username: string;
      privateKey: string | Buffer;
      passphrase?: string;
      /** The host key's SHA-256 fingerprint (base64, as `ssh-keygen -lf` prints after "SHA256:"); required. */
      hostKeySha256: string;
    };

export const DEFAULT_SOCKET_PATH = "/var/run/docker.sock";
export const SSH_READY_TIMEOUT_MS = 10_000;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6 = /^[0-9a-fA-F:]{2,39}$/;

function invalid(message: string): never {
  throw new EngineError({ code: "INVALID", operation: "connect engine", resource: "engine", message: `engine connection: ${message}` });
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

function checkHost(host: string): void {
  if (typeof host !== "string" || !(HOSTNAME.test(host) || IPV6.test(host))) invalid(`invalid host ${JSON.stringify(host)}`);
}

function checkPort(port: number | undefined): void {
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) invalid("port must be 1-65535");
}

/** ssh2's host verifier: accept only the pinned key. */
export function buildHostVerifier(hostKeySha256: string): (key: Buffer) => boolean {
  const pinned = hostKeySha256.replace(/^SHA256:/, "").replace(/=+$/, "");
  return (key: Buffer) => createHash("sha256").update(key).digest("base64").replace(/=+$/, "") === pinned;
}

export interface BuiltConnection {
  options: Docker.DockerOptions;
  /** Where the engine is, for messages (never secrets). */
  target: string;
}

export function buildDockerOptions(connection: EngineConnection, version: string): BuiltConnection {
  switch (connection.kind) {
    case "socket": {
      const socketPath = connection.socketPath ?? DEFAULT_SOCKET_PATH;
      if (!socketPath.startsWith("/") || socketPath.includes("\0")) invalid("socketPath must be an absolute path");
      return { options: { socketPath, version }, target: `unix://${socketPath}` };
    }
    case "tcp": {
      checkHost(connection.host);
      checkPort(connection.port);
      if (!isLoopback(connection.host)) invalid(`plain TCP is allowed only on loopback; use kind "tls" or "ssh" for ${connection.host}`);
      const port = connection.port ?? 2375;
      return { options: { host: connection.host, port, protocol: "http", version }, target: `tcp://${connection.host}:${port}` };
    }
    case "tls": {
      checkHost(connection.host);
      checkPort(connection.port);
      for (const field of ["ca", "cert", "key"] as const) {
        const value = connection[field];
        if (!(typeof value === "string" || Buffer.isBuffer(value)) || value.length === 0) invalid(`tls ${field} is required (PEM)`);
      }
      const port = connection.port ?? 2376;
      return {
        options: { host: connection.host, port, protocol: "https", ca: connection.ca, cert: connection.cert, key: connection.key, version },
        target: `tcp+tls://${connection.host}:${port}`,
      };
    }
    case "ssh": {
      checkHost(connection.host);
      checkPort(connection.port);
      if (typeof connection.username !== "string" || !/^[a-z_][a-z0-9_-]{0,31}$/i.test(connection.username))
        invalid("ssh username must be a plain user name");
      if (!(typeof connection.privateKey === "string" || Buffer.isBuffer(connection.privateKey)) || connection.privateKey.length === 0)
        invalid("ssh privateKey is required");
      if (typeof connection.hostKeySha256 !== "string" || !/^(SHA256:)?[A-Za-z0-9+/]{43}=?$/.test(connection.hostKeySha256))
        invalid("ssh hostKeySha256 (the pinned host key fingerprint) is required");
      const port = connection.port ?? 22;
      const sshOptions = {
        privateKey: connection.privateKey,
        ...(connection.passphrase === undefined ? {} : { passphrase: connection.passphrase }),
        hostVerifier: buildHostVerifier(connection.hostKeySha256),
        // A host that accepts TCP but never speaks SSH must not hold a request for ssh2's default 20 s.
        readyTimeout: SSH_READY_TIMEOUT_MS,
      };
      return {
        options: {
          protocol: "ssh",
          host: connection.host,
          port,
          username: connection.username,
          sshOptions,
          version,
        } as Docker.DockerOptions,
        target: `ssh://${connection.username}@${connection.host}:${port}`,
      };
    }
    default:
      return invalid("kind must be socket, tcp, tls or ssh");
  }
}
