/**
 * Test-only: what a harness run (test/engine-nodes.ts) left behind when its test process was
 * killed before `close()` -- the dockerds and sshds (detached, they outlive it), their mounts, the
 * DOCKER-USER rules, the bridge, the namespaces and veths, the temp dir -- removed by the next
 * harness start. Each run records its owner (pid and that process's start time, which tell a
 * reused pid apart) and tag in `owner.json` in its temp dir; only the runs whose owner is gone are
 * swept, never a live run's, and never a dir without that file.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { alive, mountsUnder, readPid } from "./private-dockerd.ts";

export const NODES_DIR_PREFIX = "berth-nodes-";

interface Owner {
  pid: number;
  start: string;
  tag: string;
}

/** A process's start time (clock ticks since boot, /proc/<pid>/stat field 22), or null if it is gone. */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command (field 2) may hold spaces: fields after its closing parenthesis.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

export function recordOwner(dir: string, tag: string): void {
  const owner: Owner = { pid: process.pid, start: startTime(process.pid) ?? "", tag };
  writeFileSync(path.join(dir, "owner.json"), JSON.stringify(owner));
}

function readOwner(dir: string): Owner | null {
  try {
    const owner = JSON.parse(readFileSync(path.join(dir, "owner.json"), "utf8")) as Owner;
    return /^[0-9a-f]{6}$/.test(owner.tag) && Number.isInteger(owner.pid) ? owner : null;
  } catch {
    return null;
  }
}

/** The pid files under a run's dir (each node's dockerd and sshd). */
function pidFilesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !/^node\d+$/.test(entry.name)) continue;
    files.push(path.join(dir, entry.name, "docker.pid"), path.join(dir, entry.name, "ssh", "sshd.pid"));
  }
  return files;
}

/** A signal to a process that may have exited meanwhile (another harness start sweeping too). */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

async function stop(pids: number[]): Promise<void> {
  for (const pid of pids) signal(pid, "SIGTERM");
  const deadline = Date.now() + 30_000;
  while (pids.some(alive) && Date.now() < deadline) await sleep(100);
  for (const pid of pids.filter(alive)) signal(pid, "SIGKILL");
}

async function sweep(dir: string, tag: string): Promise<void> {
  const pids = pidFilesUnder(dir)
    .map(readPid)
    .filter((pid): pid is number => pid !== null && alive(pid));
  await stop(pids);
  for (const mount of mountsUnder(dir)) spawnSync("umount", [mount]);
  const bridge = `bn${tag}`;
  for (const rule of [
    ["-i", bridge, "-o", bridge, "-j", "ACCEPT"],
    ["-i", bridge, "!", "-o", bridge, "-j", "REJECT"],
  ])
    while (spawnSync("iptables", ["-D", "DOCKER-USER", ...rule]).status === 0);
  spawnSync("ip", ["link", "del", bridge]);
  const namespaces = spawnSync("ip", ["netns", "list"], { encoding: "utf8" }).stdout ?? "";
  for (const line of namespaces.split("\n")) {
    const ns = line.split(" ")[0] ?? "";
    if (ns.startsWith(`berth-${tag}-`)) spawnSync("ip", ["netns", "del", ns]);
  }
  if (mountsUnder(dir).length === 0) rmSync(dir, { recursive: true, force: true });
}

/** Remove the leftovers of every harness run whose test process is gone. */
export async function sweepLeftovers(): Promise<void> {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(NODES_DIR_PREFIX)) continue;
    const dir = path.join(tmpdir(), name);
    const owner = readOwner(dir);
    // No owner file (not this harness's, or an older one's), or its owner still runs (this process too).
    if (owner === null || startTime(owner.pid) === owner.start) continue;
    await sweep(dir, owner.tag);
  }
}
