import type { Deps } from "../deps.ts";
import { runningTaskContainers, type TaskContainer } from "../cluster/task-containers.ts";
import type { LogFollower, LogTarget, ServiceLogLine } from "./log-follower.ts";

type Attach = (target: LogTarget, follower: LogFollower) => Promise<() => void>;

const targetOf = (c: TaskContainer): LogTarget => ({
  key: `${c.taskId}/${c.containerId}`,
  containerId: c.containerId,
  engine: c.engine,
  task: { id: c.taskId, label: c.label },
});

const notice = (task: { taskId: string; label: string }, text: string): ServiceLogLine => ({
  stream: "stderr",
  time: new Date().toISOString(),
  text: `[berth] ${text}`,
  task: task.label,
  taskId: task.taskId,
});

/**
 * A cluster service's runtime log: every running task's container followed through its node's
 * engine, each through the hub's one shared stream per container (history, redaction and
 * broadcast as for any container), each line tagged with its task. A node that does not answer
 * is said once, as a line of that task, and the others continue. When one task's stream ends
 * (the task stopped, or an update replaced it) the whole subscription ends with that reason, so
 * the client subscribes again and finds the tasks that run now. null: no task runs.
 */
export async function followTasks(
  attach: Attach,
  deps: Pick<Deps, "db" | "box" | "log">,
  serviceId: string,
  follower: LogFollower,
): Promise<(() => void) | null> {
  const { containers, unreachable } = await runningTaskContainers(deps, serviceId);
  if (containers.length === 0 && unreachable.length === 0) return null;
  let stops: Array<() => void> = [];
  let ended = false;
  const stopAll = () => {
    for (const stop of stops) stop();
    stops = [];
  };
  const endAll = (reason: string) => {
    if (ended) return;
    ended = true;
    stopAll();
    follower.end(reason);
  };
  if (unreachable.length > 0) follower.lines(unreachable.map((u) => notice(u, `${u.reason}: this task's lines are not shown`)));
  const attached = await Promise.allSettled(
    containers.map((c) =>
      attach(targetOf(c), {
        lines: (lines) => follower.lines(lines),
        live: (streamKey) => follower.live(streamKey),
        end: (reason) => endAll(`${c.label}: ${reason}`),
      }),
    ),
  );
  const failed: ServiceLogLine[] = [];
  attached.forEach((a, i) => {
    if (a.status === "fulfilled") stops.push(a.value);
    else
      failed.push(
        notice(containers[i]!, `cannot follow this task's log: ${a.reason instanceof Error ? a.reason.message : String(a.reason)}`),
      );
  });
  if (failed.length > 0) follower.lines(failed);
  // A task's stream ended while the others were still being attached.
  if (ended) stopAll();
  return () => {
    ended = true;
    stopAll();
  };
}
