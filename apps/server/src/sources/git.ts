/**
 * Runs git (product code's other child processes: pg_dump/pg_restore in instance/archive/pg-tools.ts
 * and `du` in engine/src/build-disk.ts, all argv arrays): argv arrays (never a shell),
 * credentials only in the child's environment (GIT_CONFIG_COUNT/KEY/VALUE), never in argv
 * or logs; every run has a deadline and stops on cancel (the whole process group is killed).
 */
import { spawn } from "node:child_process";
import { chmod, mkdtemp, writeFile } from "node:fs/promises";
import path from "node:path";
import { gitHomePrefix } from "./git-homes.ts";

export interface GitAuth {
  /** HTTPS access token (sent as a Basic Authorization header through git config in env). */
  token?: string | null;
  /** OpenSSH private key for ssh:// and scp-like URLs. */
  sshPrivateKey?: string | null;
  /** Pinned known_hosts lines of the repository's host: any other host key is refused. */
  knownHosts?: string | null;
}

export interface GitRunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  onLine: (stream: "stdout" | "stderr", line: string) => void;
}

/** The checked address of the repository host (see `checkGitHost`). */
export interface GitPin {
  host: string;
  port: number;
  address: string;
}

export class GitError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly output: string[],
  ) {
    super(message);
    this.name = "GitError";
  }
}

/** Environment for git: no prompts, no user/system config, credentials as env-borne config. PURE. */
export function buildGitEnv(opts: {
  home: string;
  protocols: string;
  auth: GitAuth;
  keyFile?: string;
  pin?: GitPin | null;
  /** More env-borne config (never secrets on disk), after Berth's own. */
  extraConfig?: [string, string][];
}): NodeJS.ProcessEnv {
  const config: [string, string][] = [["protocol.version", "2"]];
  if (opts.pin && (opts.protocols === "https" || opts.protocols === "http")) {
    // Connect to the address that was checked: a DNS answer that changed since (rebinding) is not asked.
    const address = opts.pin.address.includes(":") ? `[${opts.pin.address}]` : opts.pin.address;
    config.push(["http.curloptResolve", `${opts.pin.host}:${opts.pin.port}:${address}`]);
  }
  if (opts.auth.token) {
    const basic = Buffer.from(`x-access-token:${opts.auth.token}`).toString("base64");
    config.push(["http.extraHeader", `Authorization: Basic ${basic}`]);
  }
  if (opts.keyFile) {
    const knownHosts = knownHostsFile(opts.home);
    // Pinned: only the recorded host key; first clone: accept and record it (trust on first use).
    const checking = opts.auth.knownHosts ? "yes" : "accept-new";
    config.push([
      "core.sshCommand",
      `ssh -i ${opts.keyFile} -o IdentitiesOnly=yes -o StrictHostKeyChecking=${checking} -o UserKnownHostsFile=${knownHosts} -o BatchMode=yes`,
    ]);
  }
  config.push(...(opts.extraConfig ?? []));
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: "production",
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: opts.home,
    GIT_TERMINAL_PROMPT: "0",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_ALLOW_PROTOCOL: opts.protocols,
    GIT_CONFIG_COUNT: String(config.length),
  };
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

/** A private temp HOME for one clone, holding the ssh key file and pinned known_hosts if any (mode 0600). */
export async function prepareGitHome(auth: GitAuth): Promise<{ home: string; keyFile?: string }> {
  const home = await mkdtemp(await gitHomePrefix());
  await chmod(home, 0o700);
  if (!auth.sshPrivateKey) return { home };
  const keyFile = path.join(home, "deploy_key");
  await writeFile(keyFile, auth.sshPrivateKey, { mode: 0o600 });
  if (auth.knownHosts) await writeFile(knownHostsFile(home), auth.knownHosts, { mode: 0o600 });
  return { home, keyFile };
}

export function knownHostsFile(home: string): string {
  return path.join(home, "known_hosts");
}

/** Run `git <args>`; resolves with stdout lines, rejects with GitError (exit code + output). */
export function runGit(args: string[], options: GitRunOptions): Promise<string[]> {
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) return reject(new GitError("git was cancelled before it started", null, []));
    const child = spawn("git", args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
      shell: false,
    });
    const stdout: string[] = [];
    const output: string[] = [];
    const kill = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch (err) {
        output.push(`(could not stop git: ${String(err)})`);
      }
    };
    options.signal.addEventListener("abort", kill, { once: true });
    const lines = (stream: "stdout" | "stderr") => {
      let rest = "";
      return (chunk: Buffer) => {
        const parts = (rest + chunk.toString("utf8")).split(/\r?\n|\r/);
        rest = parts.pop() ?? "";
        for (const line of parts) {
          if (line === "") continue;
          if (stream === "stdout") stdout.push(line);
          output.push(line);
          options.onLine(stream, line);
        }
      };
    };
    child.stdout.on("data", lines("stdout"));
    child.stderr.on("data", lines("stderr"));
    child.on("error", (err) => reject(new GitError(`could not run git: ${err.message}`, null, output)));
    child.on("close", (code) => {
      options.signal.removeEventListener("abort", kill);
      if (options.signal.aborted) return reject(new GitError("git was stopped", code, output));
      if (code === 0) return resolve(stdout);
      reject(new GitError(`git ${args[0]} exited with code ${code}`, code, output.slice(-20)));
    });
  });
}
