"use client";

import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { fieldErrorsOf, formLevelMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { TextField } from "../ui/field";
import { formatTime } from "./backup-format";

export function ScheduleForm({
  serviceId,
  volume,
  policy,
  timeZone,
  canEdit,
  onSaved,
}: {
  serviceId: string;
  volume: string;
  policy: { cron: string | null; keepLast: number | null; keepDays: number | null; nextRunAt: Date | string | null } | null;
  timeZone: string;
  canEdit: boolean;
  onSaved: () => void;
}) {
  const trpc = useTRPC();
  const [cron, setCron] = useState(policy?.cron ?? "");
  const [keepLast, setKeepLast] = useState(policy?.keepLast?.toString() ?? "");
  const [keepDays, setKeepDays] = useState(policy?.keepDays?.toString() ?? "");
  const save = useMutation(trpc.backups.savePolicy.mutationOptions({ onSuccess: onSaved }));
  const fields = fieldErrorsOf(save.error);
  const formError = formLevelMessage(save.error, (k) => ["cron", "keepLast", "keepDays"].includes(k));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ serviceId, volume, cron, keepLast, keepDays } as never);
  };
  return (
    <section className="space-y-2">
      <h3 className="font-medium text-fg">Schedule and retention</h3>
      <p className="text-fg-muted" data-testid="backup-time-zone">
        Times are in the instance&apos;s time zone, {timeZone}.
        {policy?.nextRunAt ? ` Next backup: ${formatTime(policy.nextRunAt, timeZone)}.` : ""}
      </p>
      {canEdit ? (
        <form onSubmit={submit} noValidate className="grid gap-3 sm:grid-cols-3">
          <TextField
            label="Cron expression"
            name="cron"
            value={cron}
            onChange={(e) => setCron(e.target.value)}
            error={fields.cron}
            placeholder="0 3 * * *"
            hint="Empty: no schedule."
          />
          <TextField
            label="Keep last"
            name="keepLast"
            inputMode="numeric"
            value={keepLast}
            onChange={(e) => setKeepLast(e.target.value)}
            error={fields.keepLast}
            hint="Backups; empty: all."
          />
          <TextField
            label="Keep days"
            name="keepDays"
            inputMode="numeric"
            value={keepDays}
            onChange={(e) => setKeepDays(e.target.value)}
            error={fields.keepDays}
            hint="Days; empty: no limit."
          />
          <div className="sm:col-span-3">
            <Button type="submit" pending={save.isPending} pendingLabel="Saving…">
              Save schedule
            </Button>
            {save.isSuccess && (
              <span role="status" className="ml-3 text-emerald-700">
                Schedule saved.
              </span>
            )}
          </div>
          {formError && (
            <div className="sm:col-span-3">
              <ErrorAlert message={formError} />
            </div>
          )}
        </form>
      ) : (
        <p className="text-fg-muted">{policy?.cron ? `Schedule: ${policy.cron}` : "No schedule."}</p>
      )}
    </section>
  );
}
