"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { errorMessage, fieldErrorsOf, formLevelMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { Dialog, type DialogHandle } from "../ui/dialog";
import { TextField } from "../ui/field";
import { Loading } from "../ui/query-state";
import { formatTime } from "./backup-format";

export interface BackupRow {
  id: string;
  status: "running" | "succeeded" | "failed";
  trigger: string;
  sizeBytes: number;
  durationMs: number;
  sha256: string;
  startedAt: Date | string;
  error: string | null;
}

/** What a restore overwrites, and what a failure leaves, per engine (restore-backup.ts on the server). */
const RESTORE_EFFECT: Record<string, string> = {
  postgresql:
    "every table in the backup is dropped and recreated, and changes made since then are lost. It runs in one transaction: if it fails, nothing changes.",
  mariadb:
    "every table in the backup is dropped and recreated (tables not in the backup stay), and changes made since then are lost. The whole file is checked first, so a damaged backup changes nothing; if the restore fails midway, the message names the table it stopped in.",
  redis:
    "Redis restarts with the snapshot: every key is replaced by the backup's, and writes made since then are lost. The snapshot is checked first (redis-check-rdb): a damaged one changes nothing.",
};

/** A restore's step and log, polled while it runs. */
function RestoreProgress({ serviceId, restoreId }: { serviceId: string; restoreId: string }) {
  const trpc = useTRPC();
  const status = useQuery({
    ...trpc.backups.restoreStatus.queryOptions({ serviceId, restoreId }),
    refetchInterval: (q) => (q.state.data?.status === "running" ? 1_000 : false),
  });
  if (!status.data) return <Loading label="Starting the restore…" />;
  const r = status.data;
  return (
    <div className="space-y-2" data-testid="restore-progress" data-status={r.status}>
      <p role="status" className={r.status === "failed" ? "text-red-700" : r.status === "succeeded" ? "text-emerald-700" : "text-fg-muted"}>
        {r.status === "running"
          ? `${r.step}…`
          : r.status === "succeeded"
            ? `Restored into ${r.serviceName}.`
            : `Failed: ${r.error ?? "unknown error"}`}
      </p>
      {r.status === "succeeded" && r.serviceId !== serviceId && (
        <a className="text-accent-fg underline" href={`/services/${r.serviceId}`}>
          Open {r.serviceName}
        </a>
      )}
      <pre className="max-h-48 overflow-auto rounded bg-surface-2 p-2 font-mono text-xs" data-testid="restore-log">
        {r.log}
      </pre>
    </div>
  );
}

function RestoreIntoNew({ serviceId, serviceName, backupId }: { serviceId: string; serviceName: string; backupId: string }) {
  const trpc = useTRPC();
  const [name, setName] = useState(`${serviceName}-restored`);
  const start = useMutation(trpc.backups.restoreIntoNew.mutationOptions());
  const fields = fieldErrorsOf(start.error);
  const formError = formLevelMessage(start.error, (k) => k === "name");
  if (start.data) return <RestoreProgress serviceId={serviceId} restoreId={start.data.restoreId} />;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    start.mutate({ serviceId, backupId, name });
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-2 border-t border-line pt-3" data-testid="restore-into-new">
      <p className="text-fg-muted">
        Or restore into a new database of this project (same engine and version, new credentials); {serviceName} is not touched.
      </p>
      <TextField
        label="New database name"
        name="newDatabaseName"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={fields.name}
        autoComplete="off"
      />
      <Button type="submit" variant="secondary" pending={start.isPending} pendingLabel="Creating…">
        Restore into a new database
      </Button>
      {formError && <ErrorAlert message={formError} />}
    </form>
  );
}

export function RestoreDialog({
  serviceId,
  serviceName,
  engine,
  volume,
  backup,
  timeZone,
  onClose,
  onRestored,
}: {
  serviceId: string;
  serviceName: string;
  engine: string | null;
  volume: string;
  backup: BackupRow | null;
  timeZone: string;
  onClose: () => void;
  onRestored: () => void;
}) {
  const trpc = useTRPC();
  const dialog = useRef<DialogHandle>(null);
  const restoreDb = useMutation(trpc.backups.restore.mutationOptions({ onSuccess: onRestored }));
  const restoreVolume = useMutation(trpc.backups.restoreVolume.mutationOptions({ onSuccess: onRestored }));
  const restore = volume ? restoreVolume : restoreDb;
  const { reset } = restore;
  // A backup chosen in the list opens the dialog afresh (no result of an earlier restore shown).
  useEffect(() => {
    if (!backup) return;
    reset();
    dialog.current?.open();
  }, [backup, reset]);
  const close = () => {
    dialog.current?.close();
    onClose();
  };
  const when = backup ? formatTime(backup.startedAt, timeZone) : "";
  return (
    <Dialog ref={dialog} title={volume ? `Restore volume ${volume}?` : `Restore ${serviceName}?`}>
      {backup && (
        <div className="space-y-4 text-sm" data-testid="restore-dialog">
          {volume ? (
            <p className="text-fg-muted">
              This replaces the contents of volume <strong>{volume}</strong> with the backup of <strong>{when}</strong>: files written since
              then are lost. <strong>{serviceName}</strong> is stopped during the restore and started again afterwards (also if the restore
              fails).
            </p>
          ) : (
            <p className="text-fg-muted">
              This overwrites the database <strong>{serviceName}</strong> with the backup of <strong>{when}</strong>:{" "}
              {RESTORE_EFFECT[engine ?? ""]}
            </p>
          )}
          {restore.isSuccess ? (
            <p role="status" className="text-emerald-700" data-testid="restore-done">
              Restored.
            </p>
          ) : (
            restore.error && <ErrorAlert message={errorMessage(restore.error)} />
          )}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={close}>
              {restore.isSuccess ? "Close" : "Cancel"}
            </Button>
            {!restore.isSuccess && (
              <Button
                variant="danger"
                onClick={() => (volume ? restoreVolume : restoreDb).mutate({ serviceId, backupId: backup.id })}
                pending={restore.isPending}
                pendingLabel="Restoring…"
              >
                {volume ? "Stop, restore and start" : "Restore and overwrite"}
              </Button>
            )}
          </div>
          {!volume && <RestoreIntoNew key={backup.id} serviceId={serviceId} serviceName={serviceName} backupId={backup.id} />}
        </div>
      )}
    </Dialog>
  );
}
