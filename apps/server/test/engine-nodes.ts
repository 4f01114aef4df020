/**
 * Test-only: extra Docker Engines on this machine, each in its own network namespace, joined by
 * a bridge (the recipe of /work/shared/docs/environment.md, "A multi-node Docker cluster on one
 * machine"). They behave like remote servers: each node's dockerd listens on its namespace
 * address over TCP+TLS (tlsverify, with a CA and certificates this harness makes with the
 * openssl CLI), and optionally an sshd in the namespace lets one key in, whose sessions reach
 * that node's engine (`docker system dial-stdio` reads DOCKER_HOST, set by sshd's SetEnv).
 *
 * Names and the /24 are unique per run (derived from the pid, checked against the routes in use),
 * so two runs on one machine never clash. The host's dockerd, docker0 and config are never
 * touched: each node gets its own config file, data root, exec root, socket and pid file under a
 * temp dir. `close()` removes everything even after a failed start: dockerds (by pid file),
 * sshds, veths, the bridge, the namespaces, the DOCKER-USER rule and the temp dir; what a killed
 * run left (no close()) is removed by the next start (test/engine-nodes-leftovers.ts).
 * Argv arrays only; nothing runs through a shell.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { open } from "node:fs/promises";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DockerEngine, SwarmServices } from "@berth/engine";
import { NODES_DIR_PREFIX, recordOwner, sweepLeftovers } from "./engine-nodes-leftovers.ts";
import { imageTar } from "./image-tar-cache.ts";
import { alive, engineCall, mountsUnder, readPid, waitUntil } from "./private-dockerd.ts";
import { run, tryRun } from "./argv-run.ts";
import { makeCa, sha256Fingerprint, signCert } from "./test-certs.ts";
import { pickSubnet } from "./node-subnet.ts";

export const NODE_TLS_PORT = 2376;
/** The DOCKER-USER rule (after `-I` / `-D DOCKER-USER`) refusing what nodes send beyond their bridge. */
const OUTBOUND_REJECT = (bridge: string) => ["-i", bridge, "!", "-o", bridge, "-j", "REJECT"];
export const NODE_SSH_PORT = 22;

export interface TlsFiles {
  ca: string;
  cert: string;
  key: string;
}

export interface EngineNode {
  /** Network namespace name (under /run/netns). */
  netns: string;
  /** The node's address on the bridge (what Berth connects to). */
  address: string;
  /** The node engine's unix socket (on this machine's filesystem; for the test's own calls). */
  socketPath: string;
  /** A Berth engine client on that socket. */
  engine: DockerEngine;
  /** Berth's Swarm services through that socket (once the node is a Swarm manager). */
  services: SwarmServices;
  /** PEM client credentials the node's TLS listener accepts (CA, client certificate, key). */
  clientTls: TlsFiles;
  /** sshd's host key fingerprint (SHA256:...), when started with ssh. */
  sshHostKeySha256: string | null;
  /** Let this public key (authorized_keys line) in over SSH (as root). */
  authorizeSshKey(publicKey: string): void;
  /** Restart sshd with a new host key (a host that was reinstalled, or an impostor). */
  replaceSshHostKey(): Promise<void>;
  /** Stop this node's dockerd (SIGTERM by pid file) and wait until it is gone. */
  stopDockerd(): Promise<void>;
  /** Start it again; resolves once its API answers. */
  startDockerd(): Promise<void>;
  /** Copy images from the host engine (its `docker save`, kept as a file by test/image-tar-cache.ts, loaded over the Engine API). */
  loadImages(refs: string[]): Promise<void>;
  /** The node dockerd's log so far (for failure messages). */
  log(): string;
}

export interface EngineNodes {
  nodes: EngineNode[];
  /** The bridge's /24, e.g. 10.97.12.0/24. */
  subnet: string;
  close(): Promise<void>;
}

export interface EngineNodesOptions {
  /** Also run an sshd in each namespace (openssh-server; `bootstrap.sh --with-test`). */
  ssh?: boolean;
}

/**
 * A node dockerd's environment: pulls from anywhere but the node's own bridge and loopback go to a
 * proxy that refuses at once. No registry is reachable here, and a Swarm task tries to pull its
 * image (by tag) before it starts even when the node has it: without this, each such attempt waits
 * for the host's resolver (about 5 s when the refusal is rate-limited) -- on every task start of
 * every rolling update. The pull still fails (the node keeps its loaded image; an image it lacks
 * still ends "No such image"); the cluster registry (127.0.0.1) and Swarm's own traffic between
 * nodes (the bridge's /24) go direct.
 */
function nodeDockerdEnv(prefix: string): NodeJS.ProcessEnv {
  const refused = "http://127.0.0.1:9";
  const direct = `127.0.0.0/8,localhost,${prefix}.0/24`;
  return {
    ...process.env,
    HTTP_PROXY: refused,
    HTTPS_PROXY: refused,
    NO_PROXY: direct,
    http_proxy: refused,
    https_proxy: refused,
    no_proxy: direct,
  };
}

/** Whether something accepts TCP connections on host:port. */
export function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

async function stopPid(pid: number | null, what: string): Promise<void> {
  if (pid === null || !alive(pid)) return;
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + 30_000;
  while (alive(pid) && Date.now() < deadline) await sleep(100);
  if (alive(pid)) {
    process.kill(pid, "SIGKILL");
    await waitUntil(
      `${what} (pid ${pid}) did not die on SIGKILL`,
      async () => !alive(pid),
      10_000,
      () => "",
    );
  }
}

export async function startEngineNodes(count: number, options: EngineNodesOptions = {}): Promise<EngineNodes> {
  // Interface names are at most 15 characters: "bn" + 5 hex of the pid + a random hex.
  const tag = `${(process.pid % 0xfffff).toString(16).padStart(5, "0")}${Math.floor(Math.random() * 16).toString(16)}`;
  await sweepLeftovers();
  const dir = mkdtempSync(path.join(tmpdir(), NODES_DIR_PREFIX));
  recordOwner(dir, tag);
  const prefix = pickSubnet();
  const bridge = `bn${tag}`;
  const netnsNames: string[] = [];
  const hostVeths: string[] = [];
  const pidFiles: Array<{ file: string; what: string }> = [];
  const children: ChildProcess[] = [];
  let dockerUserRule = false;
  let closed = false;

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    const failures: string[] = [];
    // Processes first (each by its pid file, all at once), while their namespaces still exist.
    await Promise.all(
      pidFiles.map(({ file, what }) =>
        stopPid(readPid(file), what).catch((err: unknown) => {
          failures.push(String(err));
        }),
      ),
    );
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    for (const mount of mountsUnder(dir)) spawnSync("umount", [mount]);
    if (dockerUserRule) {
      tryRun("iptables", ["-D", "DOCKER-USER", "-i", bridge, "-o", bridge, "-j", "ACCEPT"], failures);
      tryRun("iptables", ["-D", "DOCKER-USER", ...OUTBOUND_REJECT(bridge)], failures);
    }
    for (const veth of hostVeths) if (existsSync(`/sys/class/net/${veth}`)) tryRun("ip", ["link", "del", veth], failures);
    if (existsSync(`/sys/class/net/${bridge}`)) tryRun("ip", ["link", "del", bridge], failures);
    for (const ns of netnsNames) tryRun("ip", ["netns", "del", ns], failures);
    const left = mountsUnder(dir);
    if (left.length > 0) failures.push(`mounts left behind: ${left.join(", ")}`);
    else rmSync(dir, { recursive: true, force: true });
    if (failures.length > 0) throw new Error(`engine nodes teardown: ${failures.join("; ")}`);
  };

  try {
    run("ip", ["link", "add", bridge, "type", "bridge"]);
    run("ip", ["addr", "add", `${prefix}.1/24`, "dev", bridge]);
    run("ip", ["link", "set", bridge, "up"]);
    // The host's FORWARD policy is DROP (its dockerd): node-to-node traffic over the bridge may pass.
    // Anything else a node sends out through the host is refused at once rather than dropped: tests
    // reach nothing beyond this machine, and a node's image pull or DNS lookup (a Swarm task tries
    // to pull its image first) fails in a moment instead of waiting out a timeout each time.
    if (spawnSync("iptables", ["-n", "-L", "DOCKER-USER"]).status === 0) {
      run("iptables", ["-I", "DOCKER-USER", ...OUTBOUND_REJECT(bridge)]);
      run("iptables", ["-I", "DOCKER-USER", "-i", bridge, "-o", bridge, "-j", "ACCEPT"]);
      dockerUserRule = true;
    }
    const ca = makeCa(dir);
    const client = signCert(dir, ca, "client", "extendedKeyUsage = clientAuth");
    const clientTls: TlsFiles = {
      ca: readFileSync(ca.caCert, "utf8"),
      cert: readFileSync(client.cert, "utf8"),
      key: readFileSync(client.key, "utf8"),
    };

    // Nodes start side by side (the dockerds' start-up waits overlap); a failed start fails the
    // whole once every node's start has ended, so close() finds all that was made.
    const startNode = async (i: number): Promise<EngineNode> => {
      const n = i + 2;
      const netns = `berth-${tag}-${n}`;
      const address = `${prefix}.${n}`;
      const hostVeth = `bh${tag}${n}`;
      const nodeVeth = `bv${tag}${n}`;
      run("ip", ["netns", "add", netns]);
      netnsNames.push(netns);
      run("ip", ["link", "add", hostVeth, "type", "veth", "peer", "name", nodeVeth]);
      hostVeths.push(hostVeth);
      run("ip", ["link", "set", nodeVeth, "netns", netns]);
      run("ip", ["link", "set", hostVeth, "master", bridge]);
      run("ip", ["link", "set", hostVeth, "up"]);
      const inNs = (args: string[]) => run("ip", ["-n", netns, ...args]);
      inNs(["addr", "add", `${address}/24`, "dev", nodeVeth]);
      inNs(["link", "set", nodeVeth, "up"]);
      inNs(["link", "set", "lo", "up"]);
      inNs(["route", "add", "default", "via", `${prefix}.1`]);

      const nodeDir = path.join(dir, `node${n}`);
      mkdirSync(nodeDir);
      const server = signCert(dir, ca, `node${n}`, `subjectAltName = IP:${address}\nextendedKeyUsage = serverAuth`);
      const socketPath = path.join(nodeDir, "docker.sock");
      const pidFile = path.join(nodeDir, "docker.pid");
      const logFile = path.join(nodeDir, "dockerd.log");
      // Its own config: the host's /etc/docker/daemon.json (address pools, hosts) must not apply.
      writeFileSync(path.join(nodeDir, "daemon.json"), JSON.stringify({ "userland-proxy": false }));
      pidFiles.push({ file: pidFile, what: `dockerd of ${netns}` });
      const args = [
        `--net=/run/netns/${netns}`,
        "dockerd",
        "--config-file",
        path.join(nodeDir, "daemon.json"),
        "--data-root",
        path.join(nodeDir, "data"),
        "--exec-root",
        path.join(nodeDir, "exec"),
        "--pidfile",
        pidFile,
        "-H",
        `unix://${socketPath}`,
        "-H",
        `tcp://${address}:${NODE_TLS_PORT}`,
        "--tlsverify",
        "--tlscacert",
        ca.caCert,
        "--tlscert",
        server.cert,
        "--tlskey",
        server.key,
      ];
      const engine = new DockerEngine({ socketPath });
      const log = (): string => (existsSync(logFile) ? readFileSync(logFile, "utf8") : "");
      const answers = () =>
        engine.ping().then(
          () => true,
          () => false,
        );
      const startDockerd = async (): Promise<void> => {
        rmSync(pidFile, { force: true });
        const containerdPid = path.join(nodeDir, "exec", "containerd", "containerd.pid");
        const containerd = readPid(containerdPid);
        if (containerd !== null && !alive(containerd)) rmSync(containerdPid, { force: true });
        const out = openSync(logFile, "a");
        // nsenter --net, not `ip netns exec`: the latter remounts /sys and dockerd then fails.
        const proc = spawn("nsenter", args, { detached: true, stdio: ["ignore", out, out], env: nodeDockerdEnv(prefix) });
        closeSync(out);
        children.push(proc);
        const exited = new Promise<never>((_, reject) =>
          proc.once("exit", () => reject(new Error(`dockerd of ${netns} exited at start; log ends:\n${log().slice(-2000)}`))),
        );
        exited.catch(() => undefined);
        await Promise.race([waitUntil(`dockerd of ${netns} did not answer`, answers, 60_000, log), exited]);
        await waitUntil(`dockerd of ${netns} did not listen on TLS`, () => listening(address, NODE_TLS_PORT), 30_000, log);
      };
      const stopDockerd = async (): Promise<void> => {
        await stopPid(readPid(pidFile), `dockerd of ${netns}`);
      };
      await startDockerd();

      let sshHostKeySha256: string | null = null;
      let authorizedFile = "";
      let restartSshd = async (): Promise<void> => {
        throw new Error("this node was started without ssh");
      };
      if (options.ssh) {
        const sshDir = path.join(nodeDir, "ssh");
        mkdirSync(sshDir);
        mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
        const hostKey = path.join(sshDir, "host_key");
        authorizedFile = path.join(sshDir, "authorized_keys");
        writeFileSync(authorizedFile, "", { mode: 0o600 });
        const sshPid = path.join(sshDir, "sshd.pid");
        const config = path.join(sshDir, "sshd_config");
        writeFileSync(
          config,
          [
            `ListenAddress ${address}:${NODE_SSH_PORT}`,
            `HostKey ${hostKey}`,
            `PidFile ${sshPid}`,
            `AuthorizedKeysFile ${authorizedFile}`,
            // The session's docker CLI (dial-stdio) reaches this node's engine, not the host's.
            `SetEnv DOCKER_HOST=unix://${socketPath}`,
            "StrictModes no",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "UsePAM no",
            "PubkeyAuthentication yes",
            "PermitRootLogin prohibit-password",
            "",
          ].join("\n"),
        );
        pidFiles.push({ file: sshPid, what: `sshd of ${netns}` });
        restartSshd = async () => {
          await stopPid(readPid(sshPid), `sshd of ${netns}`);
          rmSync(hostKey, { force: true });
          rmSync(`${hostKey}.pub`, { force: true });
          execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", hostKey]);
          sshHostKeySha256 = sha256Fingerprint(`${hostKey}.pub`);
          const proc = spawn("nsenter", [`--net=/run/netns/${netns}`, "/usr/sbin/sshd", "-D", "-e", "-f", config], {
            detached: true,
            stdio: "ignore",
          });
          children.push(proc);
          await waitUntil(
            `sshd of ${netns} did not listen`,
            () => listening(address, NODE_SSH_PORT),
            30_000,
            () => "",
          );
        };
        await restartSshd();
      }

      return {
        netns,
        address,
        socketPath,
        engine,
        services: new SwarmServices({ socketPath }),
        clientTls,
        get sshHostKeySha256() {
          return sshHostKeySha256;
        },
        authorizeSshKey(publicKey) {
          if (!authorizedFile) throw new Error("this node was started without ssh");
          writeFileSync(authorizedFile, `${publicKey.trim()}\n`, { flag: "a" });
        },
        replaceSshHostKey: () => restartSshd(),
        stopDockerd,
        startDockerd,
        async loadImages(refs) {
          for (const ref of refs) {
            const tar = await open(await imageTar(ref));
            try {
              await engineCall(socketPath, "POST", "/images/load?quiet=1", tar.createReadStream({ autoClose: false }));
            } finally {
              await tar.close();
            }
          }
        },
        log,
      };
    };
    const started = await Promise.allSettled(Array.from({ length: count }, (_, i) => startNode(i)));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
    const nodes = started.map((r) => (r as PromiseFulfilledResult<EngineNode>).value);
    return { nodes, subnet: `${prefix}.0/24`, close };
  } catch (err) {
    await close().catch((cleanupErr: unknown) => {
      throw new Error(`${String(err)}\n(and its cleanup failed: ${String(cleanupErr)})`);
    });
    throw err;
  }
}
