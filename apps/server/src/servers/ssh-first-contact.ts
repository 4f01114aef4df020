/**
 * One SSH handshake to a server before Berth talks to its engine through it: it reads the host
 * key (trust on first use: the caller pins what it saw), refuses a key that differs from the
 * pinned one, and tells a refused login apart from an unreachable host. Bounded: ssh2's
 * readyTimeout and an AbortSignal deadline over the whole attempt.
 */
import { createHash } from "node:crypto";
import { Client } from "ssh2";

export interface SshTarget {
  host: string;
  port: number;
  username: string;
  privateKey: string;
  /** SHA256:... pinned at first contact; null: first contact, accept and report the key. */
  pinned: string | null;
}

export type SshContact =
  | { ok: true; hostKeySha256: string }
  | { ok: false; kind: "host_key_mismatch"; seen: string }
  | { ok: false; kind: "auth_failed" | "unreachable"; hostKeySha256: string | null; reason: string };

export const SSH_CONTACT_TIMEOUT_MS = 12_000;

export function sshFingerprint(key: Buffer): string {
  return `SHA256:${createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`;
}

export function sshFirstContact(target: SshTarget, timeoutMs = SSH_CONTACT_TIMEOUT_MS): Promise<SshContact> {
  return new Promise((resolve) => {
    const client = new Client();
    const deadline = AbortSignal.timeout(timeoutMs);
    let seen: string | null = null;
    let done = false;
    const finish = (result: SshContact) => {
      if (done) return;
      done = true;
      deadline.removeEventListener("abort", onDeadline);
      client.end();
      resolve(result);
    };
    const onDeadline = () =>
      finish({
        ok: false,
        kind: "unreachable",
        hostKeySha256: seen,
        reason: `no SSH answer from ${target.host}:${target.port} within ${timeoutMs / 1000} s`,
      });
    deadline.addEventListener("abort", onDeadline);
    client.on("ready", () => finish({ ok: true, hostKeySha256: seen ?? "" }));
    client.on("error", (err: Error & { level?: string; code?: string }) => {
      if (seen !== null && target.pinned !== null && seen !== target.pinned) return finish({ ok: false, kind: "host_key_mismatch", seen });
      if (err.level === "client-authentication") {
        return finish({
          ok: false,
          kind: "auth_failed",
          hostKeySha256: seen,
          reason: `${target.username}@${target.host} refused Berth's key: add the server's public key to ~${target.username}/.ssh/authorized_keys`,
        });
      }
      finish({
        ok: false,
        kind: "unreachable",
        hostKeySha256: seen,
        reason: `SSH to ${target.host}:${target.port}: ${err.code ?? err.message}`,
      });
    });
    client.connect({
      host: target.host,
      port: target.port,
      username: target.username,
      privateKey: target.privateKey,
      readyTimeout: timeoutMs,
      // Keys and passwords never come from the environment or an agent: only Berth's own key.
      agent: undefined,
      tryKeyboard: false,
      hostVerifier: (key: Buffer) => {
        seen = sshFingerprint(key);
        return target.pinned === null || seen === target.pinned;
      },
    });
  });
}
