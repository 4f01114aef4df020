"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { fieldErrorsOf, formLevelMessage, errorMessage } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { CheckboxField } from "../ui/checkbox-field";
import { TextField } from "../ui/field";
import { Panel } from "../ui/page-header";
import { Loading, QueryError } from "../ui/query-state";
import { RunHistory } from "./run-history";
import { RunOutput, runSummary } from "./run-output";

interface JobForm {
  id: string | null;
  name: string;
  schedule: string;
  command: string;
  timeoutS: string;
  enabled: boolean;
}

const EMPTY: JobForm = { id: null, name: "", schedule: "", command: "", timeoutS: "3600", enabled: true };
const FORM_FIELDS = ["name", "schedule", "command", "timeoutS"];

function JobEditor({
  serviceId,
  initial,
  timeZone,
  onDone,
}: {
  serviceId: string;
  initial: JobForm;
  timeZone: string;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const [form, setForm] = useState(initial);
  const create = useMutation(trpc.cronJobs.create.mutationOptions({ onSuccess: onDone }));
  const update = useMutation(trpc.cronJobs.update.mutationOptions({ onSuccess: onDone }));
  const mutation = form.id ? update : create;
  const fields = fieldErrorsOf(mutation.error);
  const formMessage = formLevelMessage(mutation.error, (k) => FORM_FIELDS.includes(k));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const values = {
      serviceId,
      name: form.name,
      schedule: form.schedule,
      command: form.command,
      timeoutS: Number(form.timeoutS),
      enabled: form.enabled,
    };
    if (form.id) update.mutate({ ...values, cronJobId: form.id });
    else create.mutate(values);
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-3 rounded-md border border-line p-4" data-testid="cron-form">
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          label="Name"
          name="name"
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
          error={fields.name}
          placeholder="nightly-report"
          autoComplete="off"
        />
        <TextField
          label="Schedule"
          name="schedule"
          value={form.schedule}
          onChange={(e) => setForm({ ...form, schedule: e.target.value })}
          error={fields.schedule}
          placeholder="0 3 * * *"
          hint={`Cron expression (5 fields, or 6 with seconds first), in ${timeZone}.`}
          autoComplete="off"
          spellCheck={false}
        />
      </div>
      <TextField
        label="Command"
        name="command"
        value={form.command}
        onChange={(e) => setForm({ ...form, command: e.target.value })}
        error={fields.command}
        placeholder="node scripts/report.js"
        hint="Run by the image's sh -c in a new container of the live release."
        autoComplete="off"
        spellCheck={false}
      />
      <div className="grid gap-3 sm:grid-cols-2 sm:items-end">
        <TextField
          label="Timeout (seconds)"
          name="timeoutS"
          type="number"
          inputMode="numeric"
          min={1}
          value={form.timeoutS}
          onChange={(e) => setForm({ ...form, timeoutS: e.target.value })}
          error={fields.timeoutS}
        />
        <CheckboxField
          label="Enabled"
          name="enabled"
          checked={form.enabled}
          onChange={(e) => setForm({ ...form, enabled: e.target.checked })}
          hint="A slot is skipped while the previous run still runs."
        />
      </div>
      {formMessage && <ErrorAlert message={formMessage} />}
      <div className="flex gap-2">
        <Button type="submit" pending={mutation.isPending} pendingLabel="Saving…">
          {form.id ? "Save cron job" : "Create cron job"}
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

/** The service's cron jobs: schedule (in the instance's time zone), last and next run, run now, history with output. */
export function CronJobsPanel({ serviceId, canEdit }: { serviceId: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const jobs = useQuery({ ...trpc.cronJobs.list.queryOptions({ serviceId }), refetchInterval: 5_000 });
  const [editing, setEditing] = useState<JobForm | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [runId, setRunId] = useState<string | null>(null);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.cronJobs.list.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.oneOffs.list.queryKey() });
  };
  const runNow = useMutation(
    trpc.cronJobs.runNow.mutationOptions({
      onSuccess: (r) => {
        setRunId(r.runId);
        refresh();
      },
    }),
  );
  const remove = useMutation(trpc.cronJobs.delete.mutationOptions({ onSuccess: refresh }));
  const failure = runNow.error ?? remove.error;

  return (
    <Panel
      title="Cron jobs"
      actions={
        canEdit && editing === null ? (
          <Button variant="secondary" onClick={() => setEditing(EMPTY)}>
            New cron job
          </Button>
        ) : undefined
      }
    >
      {jobs.isPending ? (
        <Loading label="Loading cron jobs…" />
      ) : jobs.isError ? (
        <QueryError error={jobs.error} onRetry={() => void jobs.refetch()} what="cron jobs" />
      ) : (
        <div className="space-y-4 text-sm">
          <p className="text-fg-muted">Schedules run in the instance&apos;s time zone, {jobs.data.timeZone}.</p>
          {editing && (
            <JobEditor
              key={editing.id ?? "new"}
              serviceId={serviceId}
              initial={editing}
              timeZone={jobs.data.timeZone}
              onDone={() => {
                setEditing(null);
                refresh();
              }}
            />
          )}
          {failure && <ErrorAlert message={fieldErrorsOf(failure).cronJobId ?? errorMessage(failure)} />}
          {jobs.data.jobs.length === 0 && !editing && <p className="text-fg-muted">No cron jobs yet.</p>}
          <ul className="space-y-3" data-testid="cron-jobs">
            {jobs.data.jobs.map((job) => (
              <li key={job.id} className="space-y-2 rounded-md border border-line p-3" data-testid="cron-job">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <div>
                    <p className="font-medium">
                      {job.name} {!job.enabled && <span className="text-fg-muted">(disabled)</span>}
                    </p>
                    <p className="font-mono text-xs text-fg-muted">
                      {job.schedule} ({jobs.data.timeZone}) · {job.command}
                    </p>
                    <p className="text-xs text-fg-muted">
                      Last run: {job.lastRun ? `${runSummary(job.lastRun)} · ${formatDateTime(job.lastRun.startedAt)}` : "never"} · Next:{" "}
                      {job.nextRunAt ? formatDateTime(job.nextRunAt) : "—"}
                    </p>
                    {job.skippedSlots > 0 && (
                      <p className="text-xs text-fg-muted" data-testid="cron-skipped">
                        Skipped {job.skippedSlots} {job.skippedSlots === 1 ? "slot" : "slots"} because the previous run was still running
                        {job.lastSkippedAt ? ` (last ${formatDateTime(job.lastSkippedAt)})` : ""}
                      </p>
                    )}
                  </div>
                  <div className="flex flex-wrap gap-2">
                    <Button variant="ghost" onClick={() => setOpen(open === job.id ? null : job.id)} aria-expanded={open === job.id}>
                      History
                    </Button>
                    {canEdit && (
                      <>
                        <Button
                          variant="secondary"
                          onClick={() => {
                            setOpen(job.id);
                            runNow.mutate({ serviceId, cronJobId: job.id });
                          }}
                          pending={runNow.isPending && runNow.variables.cronJobId === job.id}
                          pendingLabel="Starting…"
                        >
                          Run now
                        </Button>
                        <Button
                          variant="ghost"
                          onClick={() =>
                            setEditing({
                              id: job.id,
                              name: job.name,
                              schedule: job.schedule,
                              command: job.command,
                              timeoutS: String(job.timeoutS),
                              enabled: job.enabled,
                            })
                          }
                        >
                          Edit
                        </Button>
                        <Button
                          variant="ghost"
                          onClick={() => remove.mutate({ serviceId, cronJobId: job.id })}
                          pending={remove.isPending && remove.variables.cronJobId === job.id}
                          pendingLabel="Deleting…"
                        >
                          Delete
                        </Button>
                      </>
                    )}
                  </div>
                </div>
                {open === job.id && (
                  <div className="space-y-3">
                    <RunHistory serviceId={serviceId} cronJobId={job.id} selected={runId} onSelect={setRunId} />
                    {runId && <RunOutput serviceId={serviceId} runId={runId} />}
                  </div>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Panel>
  );
}
