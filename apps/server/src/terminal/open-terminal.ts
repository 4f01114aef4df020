import type { ExecSession } from "@berth/engine";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { recordAudit } from "../audit/audit.ts";
import { type Actor, loadService } from "../teams/access.ts";
import { findLiveContainer } from "../services/live-container.ts";

/** The shell every terminal runs: POSIX sh exists in nearly every image (busybox included). */
export const TERMINAL_SHELL = ["/bin/sh"];

export interface OpenedTerminal {
  session: ExecSession;
  teamId: string;
  serviceId: string;
  containerId: string;
}

/**
 * Open an interactive shell (TTY) in the service's live container. Members and above only
 * (viewers: FORBIDDEN; another team's service: NOT_FOUND); recorded as `terminal.open`.
 */
export async function openTerminal(
  deps: Pick<Deps, "db" | "engine" | "log">,
  actor: Actor,
  input: { serviceId: string; cols: number; rows: number },
): Promise<OpenedTerminal> {
  const { service } = await loadService(deps.db, actor, input.serviceId, "member");
  const live = await findLiveContainer(deps, service.id);
  if (!live) throw new DomainError("CONFLICT", "The service has no running container: start or deploy it, then open the terminal");
  const session = await deps.engine.openExec(live.containerId, {
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
    detail: { service: service.name, container: live.containerName },
  });
  return { session, teamId: service.project.teamId, serviceId: service.id, containerId: live.containerId };
}

/** Record that a terminal closed and why (the user closed it, the shell exited, access ended). */
/** Whether the terminal's container runs now (false also when the engine cannot say). */
export async function isContainerRunning(deps: Pick<Deps, "engine">, containerId: string): Promise<boolean> {
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
