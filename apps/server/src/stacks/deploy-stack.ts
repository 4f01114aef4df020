/**
 * A stack deploys in dependency order. `deployStack` puts every service of the stack in
 * `waiting`; `advanceStack` then enqueues each service whose dependencies are `done` and
 * follows its deployment: succeeded -> done; failed, cancelled, timed out or superseded ->
 * failed, and every service waiting on it fails too, with a reason naming it. It runs at the
 * start and again whenever a deployment of a stack service ends (attachStackCoordinator), and
 * at boot for stacks caught mid-way.
 *
 * Conditions: Berth's deployment succeeds only once the service passed its health check (its
 * compose healthcheck, else Berth's default probe), so `service_started` and `service_healthy`
 * both wait for it: a service never starts before its dependencies answer.
 */
import type { Deps } from "../deps.ts";
import { recordAudit } from "../audit/audit.ts";
import { enqueueDeployment } from "../deployments/deployments.ts";
import { isTerminalStatus } from "../deployments/statuses.ts";
import type { Actor } from "../teams/access.ts";
import { loadStack } from "./stack-access.ts";
import type { StackDependency } from "./service-fields.ts";

type StackDeps = Pick<Deps, "db" | "env" | "queue" | "events" | "box">;

export async function deployStack(deps: StackDeps, actor: Actor, stackId: string) {
  const { stack, project } = await loadStack(deps.db, actor, stackId, "member");
  await deps.db.$transaction([
    deps.db.stack.update({ where: { id: stackId }, data: { deployActorId: actor.userId } }),
    deps.db.stackService.updateMany({ where: { stackId }, data: { state: "waiting", stateReason: null, deploymentId: null } }),
  ]);
  await recordAudit(deps.db, actor, {
    teamId: project.teamId,
    targetType: "stack",
    targetId: stackId,
    action: "stack.deploy",
    detail: { name: stack.name },
  });
  await advanceStack(deps, stackId);
  return { ok: true as const };
}

/**
 * Deploy some services of the stack (a re-import's added and changed ones), each once its
 * dependencies are up; the others count as up already. Queued in `actorId`'s name.
 */
export async function deployStackServices(deps: StackDeps, stackId: string, names: string[], actorId: string | null): Promise<void> {
  if (names.length === 0) return;
  await deps.db.$transaction([
    deps.db.stack.update({ where: { id: stackId }, data: { deployActorId: actorId } }),
    deps.db.stackService.updateMany({
      where: { stackId, service: { name: { in: names } } },
      data: { state: "waiting", stateReason: null, deploymentId: null },
    }),
    deps.db.stackService.updateMany({
      where: { stackId, service: { name: { notIn: names } }, state: { in: ["idle", "waiting"] } },
      data: { state: "done", stateReason: null },
    }),
  ]);
  await advanceStack(deps, stackId);
}

export function dependenciesOf(json: unknown): StackDependency[] {
  return Array.isArray(json) ? (json as StackDependency[]).filter((d) => d && typeof d.service === "string") : [];
}

/** One step of the stack's deployment: finish what finished, start what may start. Safe to run concurrently. */
export async function advanceStack(deps: StackDeps, stackId: string): Promise<void> {
  const members = await deps.db.stackService.findMany({
    where: { stackId },
    orderBy: { position: "asc" },
    include: { service: { select: { name: true } } },
  });
  const state = new Map(members.map((m) => [m.service.name, m.state]));
  const setState = async (
    id: string,
    name: string,
    from: "waiting" | "deploying",
    data: { state: "deploying" | "done" | "failed"; stateReason?: string | null; deploymentId?: string },
  ) => {
    const { count } = await deps.db.stackService.updateMany({ where: { id, state: from }, data });
    if (count === 1) state.set(name, data.state);
    return count === 1;
  };
  for (const m of members) {
    if (m.state !== "deploying" || m.deploymentId === null) continue;
    const d = await deps.db.deployment.findUnique({ where: { id: m.deploymentId }, select: { status: true, error: true } });
    if (!d) await setState(m.id, m.service.name, "deploying", { state: "failed", stateReason: "Its deployment was deleted" });
    else if (d.status === "succeeded") await setState(m.id, m.service.name, "deploying", { state: "done" });
    else if (isTerminalStatus(d.status))
      await setState(m.id, m.service.name, "deploying", {
        state: "failed",
        stateReason: `Its deployment ${d.status.replace("_", " ")}${d.error ? `: ${d.error.slice(0, 300)}` : ""}`,
      });
  }
  const stack = await deps.db.stack.findUniqueOrThrow({ where: { id: stackId }, select: { deployActorId: true } });
  // In position order, dependencies come first: a failure reaches every dependent in this pass.
  for (const m of members) {
    if (state.get(m.service.name) !== "waiting") continue;
    const needs = dependenciesOf(m.dependsOn);
    const failed = needs.find((d) => state.get(d.service) === "failed");
    if (failed) {
      await setState(m.id, m.service.name, "waiting", {
        state: "failed",
        stateReason: `Not deployed: its dependency ${failed.service} failed`,
      });
      continue;
    }
    if (!needs.every((d) => state.get(d.service) === "done")) continue;
    // Claim before enqueueing: a concurrent step sees `deploying` and leaves it alone.
    if (!(await setState(m.id, m.service.name, "waiting", { state: "deploying" }))) continue;
    try {
      const actor = await actorOf(deps, stack.deployActorId);
      const { deploymentId } = await enqueueDeployment(deps, actor, m.serviceId);
      await deps.db.stackService.update({ where: { id: m.id }, data: { deploymentId } });
    } catch (err) {
      await setState(m.id, m.service.name, "deploying", {
        state: "failed",
        stateReason: `Could not queue its deployment: ${(err as Error).message}`,
      });
    }
  }
}

/** The user who started the stack's deployment, authorized again at each enqueue. */
async function actorOf(deps: Pick<Deps, "db">, userId: string | null): Promise<Actor> {
  if (userId === null) throw new Error("the stack has no deploying user");
  const user = await deps.db.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true, instanceRole: true } });
  return { userId: user.id, email: user.email, instanceRole: user.instanceRole as Actor["instanceRole"] };
}

/**
 * Advance a stack whenever a deployment of one of its services ends in this process, and at
 * once for stacks left mid-way (a restart). Returns the detach function.
 */
export function attachStackCoordinator(deps: StackDeps & Pick<Deps, "log">): () => void {
  const advance = (stackId: string) =>
    advanceStack(deps, stackId).catch((err: unknown) => deps.log.error({ stackId, err: String(err) }, "stack deployment step failed"));
  void deps.db.stackService
    .findMany({ where: { state: { in: ["waiting", "deploying"] } }, distinct: ["stackId"], select: { stackId: true } })
    .then((rows) => rows.forEach((r) => void advance(r.stackId)))
    .catch((err: unknown) => deps.log.error({ err: String(err) }, "could not resume stack deployments"));
  return deps.events.onStatus((event) => {
    if (event.remote || !isTerminalStatus(event.status)) return;
    deps.db.stackService
      // By service too: the deployment may end before its id is recorded on the stack service.
      .findFirst({
        where: { OR: [{ deploymentId: event.deploymentId }, { serviceId: event.serviceId, state: "deploying" }] },
        select: { stackId: true },
      })
      .then((row) => (row ? advance(row.stackId) : undefined))
      .catch((err: unknown) => deps.log.error({ deploymentId: event.deploymentId, err: String(err) }, "stack deployment step failed"));
  });
}
