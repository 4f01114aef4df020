import type { Deps } from "../deps.ts";
import { notFound } from "../errors.ts";
import { type Actor, loadService } from "../teams/access.ts";
import type { DeploymentLogLine } from "./events.ts";

/** Load a deployment the actor may watch (viewer or higher in its team). */
export async function loadDeploymentForViewer(db: Deps["db"], actor: Actor, deploymentId: string) {
  const d = await db.deployment.findUnique({ where: { id: deploymentId }, select: { id: true, serviceId: true, status: true } });
  if (!d) throw notFound("Deployment");
  await loadService(db, actor, d.serviceId, "viewer");
  return d;
}

/** Stored log lines with seq > afterSeq, oldest first, at most `limit`. */
export async function readLogLines(db: Deps["db"], deploymentId: string, afterSeq: number, limit: number): Promise<DeploymentLogLine[]> {
  const rows = await db.buildLogLine.findMany({
    where: { deploymentId, seq: { gt: afterSeq } },
    orderBy: { seq: "asc" },
    take: limit,
  });
  return rows.map((r) => ({ deploymentId, seq: r.seq, stream: r.stream, text: r.text, time: r.time.toISOString() }));
}

/** A deployment's status now (null: it is gone). */
export async function readDeploymentStatus(db: Deps["db"], deploymentId: string) {
  const d = await db.deployment.findUnique({ where: { id: deploymentId }, select: { status: true } });
  return d?.status ?? null;
}

export async function getDeploymentLog(
  deps: Pick<Deps, "db">,
  actor: Actor,
  input: { deploymentId: string; afterSeq: number; limit: number },
) {
  await loadDeploymentForViewer(deps.db, actor, input.deploymentId);
  return readLogLines(deps.db, input.deploymentId, input.afterSeq, input.limit);
}
