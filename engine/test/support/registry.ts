/**
 * A private registry for pull tests: Debian's docker-registry on 127.0.0.1:<free port>
 * with htpasswd auth and storage in a temporary directory. Test-only child process.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "./free-port.ts";

export const REGISTRY_USER = "berth";
export const REGISTRY_PASSWORD = "berth-test-pw";
/** bcrypt("berth-test-pw"), cost 4: a throwaway test credential. */
const HTPASSWD = `${REGISTRY_USER}:$2b$04$26iebiNgOTR9ql0kA70V1uOHVL.fHhfl8AGtJXtuoVWfwENRjdTyK\n`;

export interface LocalRegistry {
  host: string;
  stop(): Promise<void>;
}

export async function startRegistry(): Promise<LocalRegistry> {
  const dir = mkdtempSync(join(tmpdir(), "berth-registry-"));
  const port = await freePort();
  writeFileSync(join(dir, "htpasswd"), HTPASSWD);
  writeFileSync(
    join(dir, "config.yml"),
    [
      "version: 0.1",
      "log: { level: error }",
      `storage: { filesystem: { rootdirectory: ${join(dir, "data")} }, delete: { enabled: true } }`,
      `http: { addr: "127.0.0.1:${port}" }`,
      `auth: { htpasswd: { realm: berth-test, path: ${join(dir, "htpasswd")} } }`,
    ].join("\n"),
  );
  const child: ChildProcess = spawn("/usr/bin/docker-registry", ["serve", join(dir, "config.yml")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: "127.0.0.1", port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on("error", () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`docker-registry did not start: ${stderr}`);
    await sleep(100);
  }
  return {
    host: `127.0.0.1:${port}`,
    stop: async () => {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
