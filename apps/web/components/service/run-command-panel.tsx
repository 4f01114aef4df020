"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { fieldErrorsOf, formLevelMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { useOneOffOutput } from "@/lib/use-one-off-output";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { TextField } from "../ui/field";
import { Panel } from "../ui/page-header";
import { RunHistory } from "./run-history";
import { RunOutput } from "./run-output";

/** "Run a command" (like `heroku run`): a new container of the live release, its output live, then its history. */
export function RunCommandPanel({ serviceId, canRun }: { serviceId: string; canRun: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [shell, setShell] = useState("");
  const [timeoutS, setTimeoutS] = useState("3600");
  const [runId, setRunId] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.oneOffs.list.queryKey() });
  const run = useMutation(
    trpc.oneOffs.run.mutationOptions({
      onSuccess: (r) => {
        setRunId(r.runId);
        void refresh();
      },
    }),
  );
  const cancel = useMutation(trpc.oneOffs.cancel.mutationOptions({ onSuccess: () => void refresh() }));
  const { end } = useOneOffOutput(serviceId, runId);
  const fields = fieldErrorsOf(run.error);
  const formMessage = formLevelMessage(run.error, (k) => k === "shell" || k === "timeoutS");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate({ serviceId, shell, timeoutS: Number(timeoutS) });
  };

  return (
    <Panel title="Run a command">
      <div className="space-y-4">
        <p className="text-sm text-fg-muted">
          Runs in a new container of the live release, with its variables, private network and volumes; the container is removed when the
          command ends. The line is run by the image&apos;s <code className="font-mono text-xs">sh -c</code>. Secret values are masked in
          the output.
        </p>
        {canRun ? (
          <form onSubmit={submit} className="grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-start" noValidate>
            <TextField
              label="Command"
              name="shell"
              value={shell}
              onChange={(e) => setShell(e.target.value)}
              error={fields.shell}
              placeholder="e.g. npx prisma migrate status"
              autoComplete="off"
              spellCheck={false}
            />
            <TextField
              label="Timeout (seconds)"
              name="timeoutS"
              type="number"
              inputMode="numeric"
              min={1}
              value={timeoutS}
              onChange={(e) => setTimeoutS(e.target.value)}
              error={fields.timeoutS}
            />
            <div className="flex gap-2 sm:pt-6">
              <Button type="submit" pending={run.isPending} pendingLabel="Starting…">
                Run
              </Button>
              {runId && end === null && (
                <Button
                  variant="secondary"
                  onClick={() => cancel.mutate({ serviceId, runId })}
                  pending={cancel.isPending}
                  pendingLabel="Cancelling…"
                >
                  Cancel
                </Button>
              )}
            </div>
          </form>
        ) : (
          <p className="text-sm text-fg-muted">Viewers cannot run commands. Ask an admin of this team for the member role.</p>
        )}
        {formMessage && <ErrorAlert message={formMessage} />}
        {runId && <RunOutput serviceId={serviceId} runId={runId} />}
        <section className="space-y-2">
          <h3 className="text-sm font-medium">Recent runs</h3>
          <RunHistory serviceId={serviceId} selected={runId} onSelect={setRunId} />
        </section>
      </div>
    </Panel>
  );
}
