import type { ContainerEngine } from "@berth/engine";
import { runningTaskContainers } from "../cluster/task-containers.ts";
import type { Deps } from "../deps.ts";
import { secretValuesOf } from "../secrets/env-store.ts";
import { redact, redactionNeedles } from "../secrets/redaction.ts";
import { type Actor, loadService } from "../teams/access.ts";
import { findLiveContainerAndEngine } from "./live-container.ts";

import type { ServiceLogLine } from "./log-follower.ts";

type LogDeps = Pick<Deps, "db" | "engine" | "env" | "box" | "log">;

/** The service's secret values in every form they may appear in a log line (never shown to a viewer). */
export async function logRedactionNeedles(deps: Pick<Deps, "db" | "box">, service: { id: string; projectId: string }): Promise<string[]> {
  return redactionNeedles(await secretValuesOf(deps.db, deps.box, { projectId: service.projectId, serviceId: service.id }));
}

/** One container's lines up to now (one bounded read), redacted and tagged with `tag`. */
async function readContainerLines(
  engine: Pick<ContainerEngine, "readLogs">,
  containerId: string,
  input: { since?: number | undefined; tail: number },
  needles: string[],
  tag: { task: string; taskId: string } | null,
): Promise<ServiceLogLine[]> {
  const until = Math.ceil(Date.now() / 1000);
  const lines = await engine.readLogs(containerId, {
    tail: input.tail,
    until,
    ...(input.since === undefined ? {} : { since: input.since }),
  });
  return lines.map((line) => {
    const text = needles.length > 0 ? redact(line.text, needles) : line.text;
    return tag ? { ...line, text, ...tag } : { ...line, text };
  });
}

/**
 * A cluster service's lines: every running task's, read through its node's engine side by side,
 * tagged with the task and merged by time (the last `tail` of them); a node that does not answer
 * is one line saying so.
 */
async function readTaskLines(deps: LogDeps, serviceId: string, input: { since?: number | undefined; tail: number }, needles: string[]) {
  const { containers, unreachable } = await runningTaskContainers(deps, serviceId);
  const now = new Date().toISOString();
  const said = (task: { label: string; taskId: string }, text: string): ServiceLogLine => ({
    stream: "stderr",
    time: now,
    text: `[berth] ${text}`,
    task: task.label,
    taskId: task.taskId,
  });
  const read = await Promise.allSettled(
    containers.map((c) => readContainerLines(c.engine, c.containerId, input, needles, { task: c.label, taskId: c.taskId })),
  );
  const lines = read.flatMap((r, i) =>
    r.status === "fulfilled" ? r.value : [said(containers[i]!, `cannot read this task's log: ${String(r.reason)}`)],
  );
  lines.sort((a, b) => a.time.localeCompare(b.time));
  const notices = unreachable.map((u) => said(u, `${u.reason}: this task's lines are not shown`));
  return { running: containers.length + unreachable.length > 0, lines: [...lines.slice(-input.tail), ...notices] };
}

/**
 * The live container's runtime log lines up to now (the last `tail`, or those since a unix time),
 * secrets redacted: what `berth logs` prints and, polled with `since`, follows. A cluster
 * service's: every running task's, each line naming its task.
 */
export async function readRuntimeLogs(deps: LogDeps, actor: Actor, input: { serviceId: string; since?: number | undefined; tail: number }) {
  const { service } = await loadService(deps.db, actor, input.serviceId, "viewer");
  const needles = await logRedactionNeedles(deps, service);
  if (service.placement === "cluster") return readTaskLines(deps, input.serviceId, input, needles);
  const live = await findLiveContainerAndEngine(deps, service);
  if (!live) return { running: false, lines: [] as ServiceLogLine[] };
  return { running: true, lines: await readContainerLines(live.engine, live.container.containerId, input, needles, null) };
}
