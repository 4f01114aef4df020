/**
 * A Docker Engine of the test's own, beside the host's (which other test runs and maybe a
 * user's Berth share, and which a test must never restart): its own data root, exec root, pid
 * file and unix socket under a temp dir, in the host's network namespace, with a default
 * bridge of its own (`bpd<hex>`, made here, on a 10.240-247.255.0/24 no route uses) and no
 * iptables rules (it touches neither the host's chains nor its FORWARD policy; ports are
 * published on 127.0.0.1 by docker-proxy, which reaches the containers over the bridge's own
 * route). Faults are real: `kill9()` is SIGKILL of that dockerd alone.
 *
 * Two dockerd settings DELETE THE HOST'S docker0 (by that name, whatever `bridge` says) and
 * must never be used here: `"bridge": "none"`, and `default-address-pools` together with a
 * restart (moby's "clear stale bridge network" calls removeDefaultBridgeInterface when pools
 * are configured and live-restore is off). So its user networks take Docker's built-in pools
 * (172.17-31.0.0/16, 192.168.0.0/16), minus every range already routed on the host -- never
 * the host engine's 10.210.0.0/15.
 *
 * It starts with no images: `loadImages` copies them from the host engine (save | load over
 * the Engine API, no CLI). `close()` removes its containers and networks (a network's bridge is
 * a host interface that would outlive it), stops it, and deletes its bridge, mounts and dirs.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { DockerEngine } from "@berth/engine";

const HOST_SOCKET = "/var/run/docker.sock";

export interface PrivateDockerd {
  dir: string;
  socketPath: string;
  /** A Berth engine client on this daemon's socket. */
  engine: DockerEngine;
  /** The /16 its default bridge's /24 comes from (its user networks: Docker's built-in pools). */
  addressPool: string;
  /** SIGKILL the daemon (only it; its containers' shims live on) and wait until it is gone. */
  kill9(): Promise<void>;
  /** Start it again on the same dirs; resolves once its API answers. */
  start(): Promise<void>;
  /** Copy images from the host engine (docker save | docker load). */
  loadImages(refs: string[]): Promise<void>;
  /** One raw Engine API call on this daemon (what a person would do by hand: `docker network rm`, ...). */
  api(method: string, apiPath: string): Promise<string>;
  /** The daemon's log so far (for failure messages). */
  log(): string;
  close(): Promise<void>;
}

function ip(args: string[]): void {
  const r = spawnSync("ip", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ip ${args.join(" ")}: ${r.stderr}`);
}

/** /16 ranges already routed on this host (its engine's bridges, other private daemons). */
function routedPrefixes(): Set<string> {
  const seen = new Set<string>();
  for (const line of readFileSync("/proc/net/route", "utf8").split("\n").slice(1)) {
    const hex = line.split("\t")[1];
    if (!hex || hex.length !== 8) continue;
    // Little-endian hex: the first octet is the last byte.
    const a = Number.parseInt(hex.slice(6, 8), 16);
    const b = Number.parseInt(hex.slice(4, 6), 16);
    seen.add(`${a}.${b}`);
  }
  return seen;
}

function pickAddressPool(): string {
  const routed = routedPrefixes();
  const start = Math.floor(Math.random() * 8);
  for (let i = 0; i < 8; i++) {
    const second = 240 + ((start + i) % 8);
    if (!routed.has(`10.${second}`)) return `10.${second}.0.0/16`;
  }
  throw new Error("no free /16 in 10.240.0.0/13 for a private Docker Engine");
}

/** One Engine API call over a unix socket; resolves with the response body. */
export function engineCall(socketPath: string, method: string, apiPath: string, body?: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path: apiPath, headers: body ? { "content-type": "application/x-tar" } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        if ((res.statusCode ?? 500) >= 300) reject(new Error(`${method} ${apiPath}: ${res.statusCode} ${text}`));
        else resolve(text);
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    if (body) body.pipe(req);
    else req.end();
  });
}

/** The host engine's `GET /images/get` tar stream. */
export function saveFromHost(ref: string): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: HOST_SOCKET, method: "GET", path: `/images/get?names=${encodeURIComponent(ref)}` }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`save ${ref} from the host engine: ${res.statusCode}`));
      resolve(res);
    });
    req.on("error", reject);
    req.end();
  });
}

export async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms; its log ends:\n${log().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function readPid(file: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(file, "utf8").trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export function alive(pid: number): boolean {
  try {
    // A zombie still has a /proc entry: read its state.
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}

/**
 * Processes of this daemon that outlived it (a restart that failed leaves its containers'
 * shims, whose address is under `dir`): their containers first, then the shims.
 */
function killLeftovers(dir: string): void {
  const procs = readdirSync("/proc")
    .filter((n) => /^\d+$/.test(n))
    .map(Number);
  const info = (pid: number): { cmd: string; ppid: number } | null => {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
      return { cmd, ppid };
    } catch {
      return null;
    }
  };
  const mine = procs.filter((pid) => info(pid)?.cmd.includes(dir));
  const children = procs.filter((pid) => mine.includes(info(pid)?.ppid ?? -1));
  for (const pid of [...children, ...mine]) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** Mounts dockerd left under `dir` (its data root is bind-mounted onto itself), deepest first. */
export function mountsUnder(dir: string): string[] {
  return readFileSync("/proc/mounts", "utf8")
    .split("\n")
    .map((line) => line.split(" ")[1] ?? "")
    .filter((m) => m === dir || m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

export async function startPrivateDockerd(): Promise<PrivateDockerd> {
  const dir = mkdtempSync(path.join(tmpdir(), "berth-dockerd-"));
  const socketPath = path.join(dir, "docker.sock");
  const pidFile = path.join(dir, "docker.pid");
  const logFile = path.join(dir, "dockerd.log");
  const addressPool = pickAddressPool();
  const bridge = `bpd${randomBytes(4).toString("hex")}`;
  // Its default bridge, on a /24 no route uses.
  ip(["link", "add", bridge, "type", "bridge"]);
  ip(["addr", "add", `${addressPool.split(".").slice(0, 2).join(".")}.255.1/24`, "dev", bridge]);
  ip(["link", "set", bridge, "up"]);
  // Its own config file: the host's /etc/docker/daemon.json (pools!, userland-proxy) must not apply.
  writeFileSync(path.join(dir, "daemon.json"), JSON.stringify({ bridge, iptables: false, "ip-masq": false, "userland-proxy": true }));
  const args = [
    "--config-file",
    path.join(dir, "daemon.json"),
    "--data-root",
    path.join(dir, "data"),
    "--exec-root",
    path.join(dir, "exec"),
    "--pidfile",
    pidFile,
    "-H",
    `unix://${socketPath}`,
  ];
  const engine = new DockerEngine({ socketPath });
  let child: ChildProcess | null = null;
  const log = (): string => {
    try {
      return readFileSync(logFile, "utf8");
    } catch {
      return "";
    }
  };
  const answers = () =>
    engine.ping().then(
      () => true,
      () => false,
    );

  const start = async (): Promise<void> => {
    // A SIGKILLed daemon leaves its pid file, and a new one refuses to start beside it. Its
    // containerd's pid file too: that process is a zombie until an init reaps it (this VM's
    // init may not), and a new dockerd would wait for the "still running" containerd forever.
    rmSync(pidFile, { force: true });
    const containerdPid = path.join(dir, "exec", "containerd", "containerd.pid");
    const containerd = readPid(containerdPid);
    if (containerd !== null && !alive(containerd)) rmSync(containerdPid, { force: true });
    const out = openSync(logFile, "a");
    const proc = spawn("dockerd", args, { detached: true, stdio: ["ignore", out, out] });
    closeSync(out);
    child = proc;
    const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    await Promise.race([
      waitUntil("the private dockerd did not answer", answers, 60_000, log),
      exited.then(() => {
        throw new Error(`the private dockerd exited at start; its log ends:\n${log().slice(-2000)}`);
      }),
    ]);
  };

  const stopChild = async (signal: NodeJS.Signals, timeoutMs: number): Promise<boolean> => {
    const proc = child;
    if (proc === null || proc.exitCode !== null || proc.signalCode !== null) return true;
    const exited = new Promise<boolean>((resolve) => proc.once("exit", () => resolve(true)));
    proc.kill(signal);
    const done = await Promise.race([exited, new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs))]);
    if (done) child = null;
    return done;
  };

  await start();
  return {
    dir,
    socketPath,
    engine,
    addressPool,
    log,
    start,
    api: (method, apiPath) => engineCall(socketPath, method, apiPath),
    async kill9() {
      const containerd = readPid(path.join(dir, "exec", "containerd", "containerd.pid"));
      if (!(await stopChild("SIGKILL", 10_000))) throw new Error("the private dockerd did not die on SIGKILL");
      // Its managed containerd dies with it (parent-death signal), a moment later; a new dockerd
      // started before that finds its pid file and waits for it in vain.
      if (containerd !== null) await waitUntil("its containerd did not end", async () => !alive(containerd), 15_000, log);
    },
    async loadImages(refs) {
      for (const ref of refs) await engineCall(socketPath, "POST", "/images/load?quiet=1", await saveFromHost(ref));
    },
    async close() {
      // Bridges of its networks are host interfaces that outlive the daemon (and hold address
      // ranges every engine on the host then skips): its networks go with it.
      let bridges: string[] = [];
      if (child !== null && (await answers())) {
        // Its containers go first (volumes and all): nothing of the test outlives it.
        const list = JSON.parse(await engineCall(socketPath, "GET", "/containers/json?all=1")) as Array<{ Id: string }>;
        for (const c of list) await engineCall(socketPath, "DELETE", `/containers/${c.Id}?force=1&v=1`).catch(() => undefined);
        const networks = (JSON.parse(await engineCall(socketPath, "GET", "/networks")) as Array<{ Id: string; Name: string }>).filter(
          (n) => !["bridge", "host", "none"].includes(n.Name),
        );
        bridges = networks.map((n) => `br-${n.Id.slice(0, 12)}`);
        for (const n of networks) await engineCall(socketPath, "DELETE", `/networks/${n.Id}`).catch(() => undefined);
      }
      if (!(await stopChild("SIGTERM", 30_000))) await stopChild("SIGKILL", 10_000);
      killLeftovers(dir);
      for (const mount of mountsUnder(dir)) spawnSync("umount", [mount]);
      for (const link of [...bridges, bridge]) spawnSync("ip", ["link", "del", link]);
      const left = mountsUnder(dir);
      if (left.length > 0) throw new Error(`the private dockerd left mounts behind: ${left.join(", ")}`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
