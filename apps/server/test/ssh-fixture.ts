/**
 * Test-only: a throwaway OpenSSH server on 127.0.0.1 (openssh-server, installed by
 * `bootstrap.sh --with-test`) that lets one public key in, so git can clone over ssh://.
 * Its host key can be replaced to play a host whose key changed. Argv arrays only.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { listening } from "./engine-nodes.ts";
import { freePort } from "./free-ports.ts";

export interface SshFixture {
  port: number;
  /** ssh:// URL of a repository path on this host. */
  urlOf(repositoryDir: string): string;
  /** Let this public key (authorized_keys line) in. */
  authorize(publicKey: string): void;
  /** Restart with a new host key. */
  replaceHostKey(): Promise<void>;
  close(): Promise<void>;
}

export async function startSshFixture(): Promise<SshFixture> {
  const dir = mkdtempSync(path.join(tmpdir(), "berth-sshd-"));
  const port = await freePort();
  const hostKey = path.join(dir, "host_key");
  const authorized = path.join(dir, "authorized_keys");
  writeFileSync(authorized, "", { mode: 0o600 });
  // sshd's privilege separation directory.
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  const config = path.join(dir, "sshd_config");
  writeFileSync(
    config,
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${hostKey}`,
      `PidFile ${path.join(dir, "sshd.pid")}`,
      `AuthorizedKeysFile ${authorized}`,
      "StrictModes no",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "PubkeyAuthentication yes",
      "PermitRootLogin prohibit-password",
      "",
    ].join("\n"),
  );
  let sshd: ChildProcess | null = null;

  const start = async (): Promise<void> => {
    rmSync(hostKey, { force: true });
    rmSync(`${hostKey}.pub`, { force: true });
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", hostKey]);
    sshd = spawn("/usr/sbin/sshd", ["-D", "-e", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
    for (let i = 0; i < 50 && !(await listening("127.0.0.1", port)); i++) await sleep(100);
    if (!(await listening("127.0.0.1", port))) throw new Error(`sshd did not listen on 127.0.0.1:${port}`);
  };
  const stop = async (): Promise<void> => {
    const running = sshd;
    sshd = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGTERM");
    await exited;
  };

  await start();
  return {
    port,
    urlOf: (repositoryDir) => `ssh://root@127.0.0.1:${port}${repositoryDir}`,
    authorize: (publicKey) => writeFileSync(authorized, `${publicKey}\n`, { flag: "a" }),
    async replaceHostKey() {
      await stop();
      await start();
    },
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
