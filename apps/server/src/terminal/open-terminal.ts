import type { ContainerEngine, ExecSession } from "@berth/engine";
import type { Deps } from "../deps.ts";
import { DomainError, invalidField } from "../errors.ts";
import { recordAudit } from "../audit/audit.ts";
import { type Actor, loadService } from "../teams/access.ts";
import { findLiveContainerAndEngine } from "../services/live-container.ts";
import { runningTaskContainer, runningTaskContainers } from "../cluster/task-containers.ts";

/** The shell every terminal runs: POSIX sh exists in nearly every image (busybox included). */
export const TERMINAL_SHELL = ["/bin/sh"];

export interface OpenedTerminal {
  session: ExecSession;
  teamId: string;
  serviceId: string;
  containerId: string;
  /** The engine the container runs on: Berth's, or a cluster task's node's. */
  engine: Pick<ContainerEngine, "containerStatus">;
}

type TerminalDeps = Pick<Deps, "db" | "engine" | "log" | "box">;

/** The container a terminal opens in: the live one, or the chosen (else first) running task of a cluster service. */
async function terminalTarget(
  deps: TerminalDeps,
  service: { id: string; placement: string; serverId: string | null },
  taskId: string | undefined,
): Promise<{ engine: Pick<ContainerEngine, "openExec" | "containerStatus">; containerId: string; detail: Record<string, string> }> {
  if (service.placement === "cluster") {
    const task =
      taskId === undefined
        ? (await runningTaskContainers(deps, service.id)).containers[0]
        : await runningTaskContainer(deps, service.id, taskId);
    if (!task) throw new DomainError("CONFLICT", "No task of the service runs on a node that answers: deploy it, then open the terminal");
    return { engine: task.engine, containerId: task.containerId, detail: { task: task.label, taskId: task.taskId } };
  }
  if (taskId !== undefined) throw invalidField("taskId", "Only a service on the cluster has tasks to choose from");
  // Berth's own engine, or the standalone remote server's the service is placed on.
  const live = await findLiveContainerAndEngine(deps, service);
  if (!live) throw new DomainError("CONFLICT", "The service has no running container: start or deploy it, then open the terminal");
  return { engine: live.engine, containerId: live.container.containerId, detail: { container: live.container.containerName } };
}

/**
 * Open an interactive shell (TTY) in the service's live container -- a cluster service's: in the
 * task `taskId` (else its first running one) through its node's engine. Members and above only
 * (viewers: FORBIDDEN; another team's service: NOT_FOUND; a task that is not one of this
 * service's running tasks: NOT_FOUND); recorded as `terminal.open`.
 */
export async function openTerminal(
  deps: TerminalDeps,
  actor: Actor,
  input: { serviceId: string; taskId?: string | undefined; cols: number; rows: number },
): Promise<OpenedTerminal> {
  const { service } = await loadService(deps.db, actor, input.serviceId, "member");
  const target = await terminalTarget(deps, service, input.taskId);
  const session = await target.engine.openExec(target.containerId, {
    cmd: TERMINAL_SHELL,
    tty: true,
    stdin: true,
    env: { TERM: "xterm-256color" },
  });
  // Not fatal: the client sends its size again with every terminal:resize.
  await session
    .resize({ cols: input.cols, rows: input.rows })
    .catch((err: unknown) => deps.log.debug({ err: String(err) }, "initial terminal resize failed"));
  await recordAudit(deps.db, actor, {
    teamId: service.project.teamId,
    action: "terminal.open",
    targetType: "service",
    targetId: service.id,
    detail: { service: service.name, ...target.detail },
  });
  return { session, teamId: service.project.teamId, serviceId: service.id, containerId: target.containerId, engine: target.engine };
}

/** Record that a terminal closed and why (the user closed it, the shell exited, access ended). */
/** Whether the terminal's container runs now (false also when the engine cannot say). */
export async function isContainerRunning(
  deps: { engine: Pick<ContainerEngine, "containerStatus"> },
  containerId: string,
): Promise<boolean> {
  return deps.engine.containerStatus(containerId).then(
    (s) => s.state === "running",
    () => false,
  );
}

export async function recordTerminalClose(
  deps: Pick<Deps, "db">,
  actor: Actor,
  terminal: OpenedTerminal,
  reason: string,
  durationS: number,
): Promise<void> {
  await recordAudit(deps.db, actor, {
    teamId: terminal.teamId,
    action: "terminal.close",
    targetType: "service",
    targetId: terminal.serviceId,
    detail: { reason, durationS },
  });
}

/** Whether the actor may still hold a terminal in this service (member+). */
export async function mayKeepTerminal(deps: Pick<Deps, "db">, actor: Actor, serviceId: string): Promise<void> {
  await loadService(deps.db, actor, serviceId, "member");
}
