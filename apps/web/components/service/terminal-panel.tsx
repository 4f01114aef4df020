"use client";

import { useState } from "react";
import { Button } from "../ui/button";
import { ErrorAlert } from "../ui/alert";
import { Panel } from "../ui/page-header";
import { TerminalView, type TerminalPhase } from "./terminal-view";

function describe(p: TerminalPhase): string {
  if (p.phase === "connecting") return "Opening a shell…";
  if (p.phase === "open") return "Connected: /bin/sh in the running container. Shift+Tab leaves the terminal.";
  if (p.phase === "closed") return `Closed: ${p.reason}`;
  return "";
}

/** A shell in the service's running container, for members and above. Opening and closing are audited. */
export function TerminalPanel({ serviceId, running, canUse }: { serviceId: string; running: boolean; canUse: boolean }) {
  const [session, setSession] = useState(0);
  const [phase, setPhase] = useState<TerminalPhase | null>(null);
  // The view stays after the shell ends on its own (its last output stays readable); "Close" removes it.
  const [shown, setShown] = useState(false);
  const active = phase !== null && (phase.phase === "connecting" || phase.phase === "open");
  const start = () => {
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
  else if (!running && !active)
    body = <p className="text-sm text-fg-muted">The service is not running. Start or deploy it to open a shell in its container.</p>;
  else
    body = (
      <div className="space-y-3">
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
            <TerminalView key={session} serviceId={serviceId} onPhase={setPhase} />
          </div>
        )}
      </div>
    );
  return <Panel title="Terminal">{body}</Panel>;
}
