"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "@/lib/trpc";
import { Button } from "../ui/button";
import { ErrorAlert } from "../ui/alert";
import { Panel } from "../ui/page-header";
import { SelectField } from "../ui/select-field";
import { TerminalView, type TerminalPhase } from "./terminal-view";

const TASKS_POLL_MS = 5_000;

function describe(p: TerminalPhase): string {
  if (p.phase === "connecting") return "Opening a shell…";
  if (p.phase === "open") return "Connected: /bin/sh in the running container. Shift+Tab leaves the terminal.";
  if (p.phase === "closed") return `Closed: ${p.reason}`;
  return "";
}

/** A cluster service's running tasks to open a shell in (`#2 on node-b`). */
function useRunningTasks(serviceId: string, cluster: boolean) {
  const trpc = useTRPC();
  const tasks = useQuery({ ...trpc.services.tasks.queryOptions({ serviceId }), enabled: cluster, refetchInterval: TASKS_POLL_MS });
  return (tasks.data?.tasks ?? [])
    .filter((t) => t.desiredState === "running" && t.state === "running")
    .map((t) => ({ value: t.id, label: `${t.slot === null ? t.id.slice(0, 12) : `#${t.slot}`} on ${t.serverName ?? "an unknown node"}` }));
}

/**
 * A shell in the service's running container, for members and above; a cluster service's: in the
 * chosen task, on its node (`task`: picked on the Placement panel). Opening and closing are audited.
 */
export function TerminalPanel({
  serviceId,
  running,
  canUse,
  cluster = false,
  task = "",
}: {
  serviceId: string;
  running: boolean;
  canUse: boolean;
  cluster?: boolean;
  task?: string;
}) {
  const [session, setSession] = useState(0);
  const [phase, setPhase] = useState<TerminalPhase | null>(null);
  // The view stays after the shell ends on its own (its last output stays readable); "Close" removes it.
  const [shown, setShown] = useState(false);
  const tasks = useRunningTasks(serviceId, cluster && canUse);
  const [chosen, setChosen] = useState(task);
  useEffect(() => setChosen(task), [task]);
  const taskId = cluster ? (tasks.some((t) => t.value === chosen) ? chosen : tasks[0]?.value) : undefined;
  // Fixed when the shell opens: the task list refreshing never moves an open terminal.
  const [openedTask, setOpenedTask] = useState<string | undefined>(undefined);
  const active = phase !== null && (phase.phase === "connecting" || phase.phase === "open");
  const start = () => {
    setOpenedTask(taskId);
    setSession((n) => n + 1);
    setShown(true);
    setPhase({ phase: "connecting" });
  };
  const close = () => {
    setShown(false);
    setPhase({ phase: "closed", reason: "Closed" });
  };

  let body;
  if (!canUse)
    body = <p className="text-sm text-fg-muted">Viewers cannot open a terminal. Ask an admin of this team for the member role.</p>;
  else if (!(cluster ? tasks.length > 0 : running) && !active)
    body = <p className="text-sm text-fg-muted">The service is not running. Start or deploy it to open a shell in its container.</p>;
  else
    body = (
      <div className="space-y-3">
        {cluster && (
          <SelectField
            label="Task"
            className="max-w-sm"
            value={taskId ?? ""}
            onChange={(e) => setChosen(e.target.value)}
            options={tasks}
            disabled={active}
          />
        )}
        <div className="flex flex-wrap items-center gap-3">
          {active ? (
            <Button variant="secondary" onClick={close}>
              Close terminal
            </Button>
          ) : (
            <Button onClick={start}>{phase ? "Open a new terminal" : "Open terminal"}</Button>
          )}
          <p role="status" className="text-sm text-fg-muted" data-testid="terminal-state" data-phase={phase?.phase ?? "idle"}>
            {phase
              ? describe(phase)
              : "Runs /bin/sh in the container. Ctrl+Shift+C copies, Ctrl+Shift+V pastes, Shift+Tab leaves the terminal."}
          </p>
        </div>
        {phase?.phase === "error" && <ErrorAlert message={phase.message} onRetry={start} />}
        {shown && phase?.phase !== "error" && (
          <div className="code-surface overflow-hidden rounded-md border border-line">
            <TerminalView key={session} serviceId={serviceId} taskId={openedTask} onPhase={setPhase} />
          </div>
        )}
      </div>
    );
  return <Panel title="Terminal">{body}</Panel>;
}
