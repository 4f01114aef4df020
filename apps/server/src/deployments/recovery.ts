import type { Deps } from "../deps.ts";
import type { PassResult, Reconciler } from "../reconcile/reconciler.ts";
import { endableAtBoot } from "./lease.ts";
import { endOrphanedGitRuns } from "../sources/git-homes.ts";
import { sweepGitCaches } from "../sources/git-cache.ts";

export const RESTART_REASON = "Berth restarted while this deployment was in progress; the previous release kept serving";

/**
 * At boot, before the worker starts: end the deployments a crash of this process left in progress
 * (cloning, building, releasing; and lapsed ones: deployments/lease.ts -- another process's
 * running deployments are left alone) with a reason, then one reconciler pass: containers of this instance's
 * services that no live release owns (the unfinished deployments' among them) are removed, a
 * live release left stopped (a stop-first deployment interrupted) or missing is brought back
 * when its service should run. Queued deployments stay queued and are picked up by the worker.
 * First, the git runs a killed Berth process on this host left behind are ended and their
 * homes (clones, deploy keys) removed, and the cached checkouts of deleted services go.
 */
export async function recoverDeployments(
  deps: Pick<Deps, "db" | "log" | "env">,
  reconciler: Reconciler,
  workerName: string,
): Promise<{ ended: number; pass: PassResult }> {
  const git = await endOrphanedGitRuns();
  if (git.homes > 0) deps.log.warn(git, "ended the git runs and removed the git homes of a Berth process that is gone");
  const caches = await sweepGitCaches(deps).catch(() => 0);
  if (caches > 0) deps.log.info({ caches }, "removed the cached checkouts of deleted services");
  const ended = await deps.db.deployment.updateMany({
    where: endableAtBoot(workerName),
    data: { status: "failed", error: RESTART_REASON, finishedAt: new Date() },
  });
  const pass = await reconciler.pass("boot");
  if (pass === null) throw new Error("The Docker Engine or the database did not answer");
  if (ended.count > 0) deps.log.warn({ ended: ended.count }, "ended deployments a restart interrupted");
  return { ended: ended.count, pass };
}

/** Recover once the engine and database answer; until then retry (every 5 s), never crash. */
export function recoverWhenReachable(
  deps: Pick<Deps, "db" | "log" | "env">,
  reconciler: Reconciler,
  workerName: string,
  then: () => void,
): void {
  recoverDeployments(deps, reconciler, workerName).then(then, (err: unknown) => {
    deps.log.warn({ err: String(err) }, "recovery postponed: engine or database unreachable; retrying in 5 s");
    setTimeout(() => recoverWhenReachable(deps, reconciler, workerName, then), 5000).unref();
  });
}
