import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { endOrphanedGitRuns, gitHomePrefix, startTimeOf } from "./git-homes.ts";

const children: ChildProcess[] = [];
const homes: string[] = [];

/** A long-running stand-in for git: its own process group, HOME pointing at the git home. */
function fakeGit(home: string): ChildProcess {
  const child = spawn("sleep", ["600"], { env: { ...process.env, HOME: home }, detached: true, stdio: "ignore" });
  children.push(child);
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<NodeJS.Signals | number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.signalCode ?? child.exitCode);
    child.once("exit", (code, signal) => resolve(signal ?? code));
  });

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  for (const home of homes) await rm(home, { recursive: true, force: true });
});

it("ends the git runs of a Berth process that is gone and removes their homes; a live process's runs are left alone", async () => {
  // The dead owner: a process that made a git home (named for its pid and start time), then was killed.
  const owner = spawn("sleep", ["600"], { stdio: "ignore" });
  children.push(owner);
  const deadHome = await mkdtemp(path.join(tmpdir(), `berth-git-${owner.pid}.${await startTimeOf(owner.pid!)}-`));
  homes.push(deadHome);
  const orphan = fakeGit(deadHome);
  owner.kill("SIGKILL");
  await exited(owner);
  // This process is alive: its home and run stay.
  const liveHome = await mkdtemp(await gitHomePrefix());
  homes.push(liveHome);
  const live = fakeGit(liveHome);

  const swept = await endOrphanedGitRuns();

  // At least: files running beside this one may have dead processes' runs of their own.
  expect(swept.processes).toBeGreaterThanOrEqual(1);
  expect(swept.homes).toBeGreaterThanOrEqual(1);
  expect(await exited(orphan)).toBe("SIGKILL");
  expect(existsSync(deadHome)).toBe(false);
  expect(existsSync(liveHome)).toBe(true);
  expect(live.exitCode === null && live.signalCode === null).toBe(true);
});
