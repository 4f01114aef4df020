import { afterAll, beforeAll, expect, it } from "vitest";
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { DockerEngine } from "@berth/engine";
import { allowLocalSources, createGitService, removeServiceEverywhere } from "../test/deploy-harness.ts";
import { helloDockerfile, startGitFixture, type GitFixture } from "../test/git-fixture.ts";
import { httpGet, requireTestImage, seedUser, TEST_IMAGE, testDeps, waitFor } from "../test/harness.ts";
import { buildWorkerBundle, kill9, startWorkerProcess } from "../test/worker-process.ts";
import { enqueueDeployment } from "../src/deployments/deployments.ts";
import { RESTART_REASON } from "../src/deployments/recovery.ts";
import { isTerminalStatus } from "../src/deployments/statuses.ts";
import { createService } from "../src/services/services.ts";
import { createServiceInput } from "../src/services/service-input.ts";
import type { Actor } from "../src/teams/access.ts";
import { reportFigure, seconds } from "./report.ts";

/**
 * kill -9 of a real Berth worker process (worker-main.ts) ten times, each time with three
 * services in the three phases of a deployment at once: one cloning (its repository host holds
 * the clone unanswered), one building (a build step that sleeps a minute, running), one
 * releasing (its new container in the health gate, which it would never pass). After each
 * restart: every deployment terminal within 60 s, no container of an unfinished deployment,
 * every service's previous release still serving. The phase is read from the deployment's
 * recorded state (status, its log, its container), never guessed by sleeping.
 */
const ROUNDS = Number(process.env.BERTH_FAULT_KILLS ?? 10);
const deps = testDeps();
const workerName = `fault-killed-${randomUUID().slice(0, 8)}`;
let slowClone: GitFixture;
let slowBuild: GitFixture;
let worker: ChildProcess | null = null;
const services: { clone: string; build: string; release: string } = { clone: "", build: "", release: "" };
const projects: string[] = [];
/** Build-step markers of the rounds (each round's step is new: the builder cannot cache it). */
const markers: string[] = [];

// The production bundle (as `npm run build` makes it): restarted ten times, it boots in seconds.
const startWorker = () =>
  (worker = startWorkerProcess(deps.env.BERTH_SECRET, { BERTH_WORKER_NAME: workerName, BERTH_BUILD_CONCURRENCY: "4" }, { bundled: true }));

const deployment = (id: string) => deps.db.deployment.findUniqueOrThrow({ where: { id } });

/** Processes whose command line mentions `needle` (build steps run by BuildKit; orphaned git clones). */
function processesWith(needle: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try {
      if (readFileSync(`/proc/${name}/cmdline`, "utf8").includes(needle)) pids.push(Number(name));
    } catch {
      // The process ended between listing and reading.
    }
  }
  return pids;
}

/**
 * git runs in a process group of its own (so a cancel can end its helpers): a kill -9 of
 * Berth alone leaves it, waiting on the held clone, with its temporary checkout. (Under
 * systemd the unit's whole cgroup is killed.) Ended here with their directories, so the
 * rounds do not pile them up.
 */
/** Git processes (by their HOME) and git homes a dead worker process made (named for its pid). */
function leftBy(pid: number): number {
  const prefix = path.join(tmpdir(), `berth-git-${pid}.`);
  let left = readdirSync(tmpdir()).filter((name) => path.join(tmpdir(), name).startsWith(prefix)).length;
  for (const name of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try {
      if (readFileSync(`/proc/${name}/environ`, "utf8").includes(`HOME=${prefix}`)) left++;
    } catch {
      // The process ended between listing and reading, or is another user's.
    }
  }
  return left;
}

function endOrphanedClones(): number {
  const pids = processesWith(slowClone.url);
  const dirs = new Set<string>();
  for (const pid of pids) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      const top = path.relative(tmpdir(), cwd).split(path.sep)[0] ?? "";
      if (top.startsWith("berth-git-")) dirs.add(path.join(tmpdir(), top));
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  return pids.length;
}

async function newProject(teamId: string): Promise<string> {
  const project = await deps.db.project.create({ data: { teamId, name: `killed-${randomUUID().slice(0, 8)}` } });
  projects.push(project.id);
  return project.id;
}

/** The live (first) release of each service, and what it answers. */
const live: Record<keyof typeof services, { deploymentId: string; hostPort: number; body: string }> = {} as never;

async function firstRelease(actor: Actor, key: keyof typeof services, body: string): Promise<void> {
  const { deploymentId } = await enqueueDeployment(deps, actor, services[key]);
  const done = await waitFor(
    `the first release of ${key}`,
    async () => {
      const d = await deployment(deploymentId);
      return isTerminalStatus(d.status) ? d : null;
    },
    120_000,
  );
  expect({ status: done.status, error: done.error }).toEqual({ status: "succeeded", error: null });
  live[key] = { deploymentId, hostPort: done.hostPort!, body };
}

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  await allowLocalSources(deps, true);
  buildWorkerBundle();
  [slowClone, slowBuild] = await Promise.all([
    startGitFixture({ Dockerfile: helloDockerfile("clone-v1") }),
    startGitFixture({ Dockerfile: helloDockerfile("build-v1") }),
  ]);
}, 120_000);

afterAll(async () => {
  if (worker) await kill9(worker);
  slowClone.holdClones(false);
  endOrphanedClones();
  for (const id of Object.values(services).filter(Boolean)) await removeServiceEverywhere(deps, id);
  for (const projectId of projects) await deps.engine.pruneNetworks({ projectId }).catch(() => undefined);
  await allowLocalSources(deps, false);
  await Promise.all([slowClone?.close(), slowBuild?.close()]);
  await deps.db.$disconnect();
}, 120_000);

it(`kill -9 of Berth mid-clone, mid-build and mid-release, ${ROUNDS} times each: terminal within 60 s, no orphan, the old releases serving`, async () => {
  const { actor, teamId } = await seedUser(deps.db);
  services.clone = (await createGitService(deps, actor, teamId, { url: slowClone.url })).serviceId;
  services.build = (await createGitService(deps, actor, teamId, { url: slowBuild.url })).serviceId;
  projects.push(
    ...(await deps.db.service.findMany({ where: { id: { in: [services.clone, services.build] } }, select: { projectId: true } })).map(
      (s) => s.projectId,
    ),
  );
  const input = createServiceInput.parse({ projectId: await newProject(teamId), name: "release", image: TEST_IMAGE, containerPort: 8080 });
  services.release = (await createService(deps, actor, input)).id;

  startWorker();
  await Promise.all([
    firstRelease(actor, "clone", "clone-v1"),
    firstRelease(actor, "build", "build-v1"),
    firstRelease(actor, "release", "hello"),
  ]);
  // From now on: clones are held by the repository host, and the next release never passes its gate.
  slowClone.holdClones(true);
  await deps.db.service.update({ where: { id: services.release }, data: { containerPort: 9999, healthTimeoutS: 600 } });

  const terminalMs: number[] = [];
  let leftGit = 0;
  const keys = Object.keys(services) as Array<keyof typeof services>;
  /** Queue one deployment per service; the build's step is new each round (the builder cannot cache it). */
  const enqueueRound = async (round: number) => {
    const marker = `fault-build-${randomUUID()}`;
    markers.push(marker);
    // A command after the sleep keeps the shell (whose argv holds the marker) alive for the step.
    slowBuild.commit(
      { Dockerfile: helloDockerfile("never", `RUN echo ${marker} && sleep 60 && echo the-shell-stays\n`) },
      `slow build ${round}`,
    );
    const heldBefore = slowClone.held();
    const ids = {} as Record<keyof typeof services, string>;
    for (const key of keys) ids[key] = (await enqueueDeployment(deps, actor, services[key])).deploymentId;
    return { round, marker, heldBefore, ids };
  };
  /** Each service runs its live release's container, and only that one or its deployment's in progress. */
  const noOrphan = async (inProgress: Record<keyof typeof services, string> | null) => {
    for (const key of keys) {
      const owners = new Set((await deps.engine.listManaged({ serviceId: services[key] })).map((c) => c.deploymentId));
      if (!owners.has(live[key].deploymentId)) return false;
      owners.delete(live[key].deploymentId);
      if (inProgress !== null) owners.delete(inProgress[key]);
      if (owners.size > 0) return false;
    }
    return true;
  };
  const began = Date.now();
  // Pipelined: the next round's deployments are queued while the worker restarts, so its boot
  // (recovery, then the queue) leads straight into the next round's phases.
  let current = await enqueueRound(0);
  for (;;) {
    const { round, marker, heldBefore, ids } = current;
    await waitFor(
      `round ${round}: one service cloning, one building, one in its health gate`,
      async () => {
        const [c, b, r] = await Promise.all([deployment(ids.clone), deployment(ids.build), deployment(ids.release)]);
        if (c.status !== "cloning" || slowClone.held() <= heldBefore) return false;
        if (
          b.status !== "building" ||
          (await deps.db.buildLogLine.count({ where: { deploymentId: ids.build, text: { contains: marker } } })) === 0
        )
          return false;
        if (r.status !== "releasing") return false;
        return (await deps.engine.listManaged({ serviceId: services.release })).some((x) => x.deploymentId === ids.release);
      },
      120_000,
    );
    // The last restart's boot pass ran before its worker took this round's deployments: nothing of
    // the round before is left, and every previous release serves.
    expect(await noOrphan(ids), `round ${round}: containers of ended deployments left`).toBe(true);
    for (const key of keys) expect((await httpGet(live[key].hostPort)).body, key).toContain(live[key].body);

    const killedPid = worker!.pid!;
    await kill9(worker!);
    const restarted = Date.now();
    startWorker();
    const next = round + 1 < ROUNDS ? await enqueueRound(round + 1) : null;
    const ended = await waitFor(
      `round ${round}: every deployment terminal`,
      async () => {
        const all = await Promise.all(Object.values(ids).map(deployment));
        return all.every((d) => isTerminalStatus(d.status)) ? all : null;
      },
      60_000,
    );
    terminalMs.push(Date.now() - restarted);
    expect(ended.map((d) => ({ status: d.status, error: d.error }))).toEqual(
      Object.values(ids).map(() => ({ status: "failed", error: RESTART_REASON })),
    );
    // The restart's recovery ended the dead worker's git runs before it ended their deployments.
    leftGit += leftBy(killedPid);
    if (next === null) break;
    current = next;
  }
  await waitFor("no orphan container after the last restart", () => noOrphan(null), 30_000);
  for (const key of keys) expect((await httpGet(live[key].hostPort)).body, key).toContain(live[key].body);
  const wallMs = Date.now() - began;
  // The engine drops every abandoned build step (its client went away).
  await waitFor("the engine to drop the abandoned build steps", async () => markers.every((m) => processesWith(m).length === 0), 60_000);

  const sorted = [...terminalMs].sort((a, b) => a - b);
  reportFigure(
    `Berth killed mid-clone, mid-build and mid-release (${ROUNDS} kills, each with one service in each phase)`,
    `deployments terminal after the restart in median ${seconds(sorted[Math.floor(sorted.length / 2)]!)}, max ${seconds(sorted.at(-1)!)} (goal < 60 s); orphan containers 0; previous releases served every round; ${ROUNDS} kills in ${seconds(wallMs)}; git processes or git homes left by the killed processes after their restart: ${leftGit} (goal 0)`,
  );
  expect(sorted.at(-1)!).toBeLessThan(60_000);
  expect(leftGit).toBe(0);
}, 900_000);
