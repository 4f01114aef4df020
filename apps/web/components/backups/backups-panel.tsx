"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { errorMessage, fieldErrorsOf, formLevelMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { Dialog, type DialogHandle } from "../ui/dialog";
import { TextField } from "../ui/field";
import { Panel } from "../ui/page-header";
import { Loading, QueryError } from "../ui/query-state";
import { Table, Td, Tr } from "../ui/table";
import { BackupDestinationForm } from "./backup-destination-form";

const formatBytes = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`;
const formatTime = (d: Date | string, timeZone: string) =>
  new Date(d).toLocaleString(undefined, { timeZone, dateStyle: "medium", timeStyle: "medium" });

interface BackupRow {
  id: string;
  status: "running" | "succeeded" | "failed";
  trigger: string;
  sizeBytes: number;
  durationMs: number;
  sha256: string;
  startedAt: Date | string;
  error: string | null;
}

/**
 * Backups of a database (shown only for databases Berth created; volume "") or of one of a
 * service's named volumes: the project's destination, the schedule and retention (in the
 * instance's time zone), "Back up now", the list, and a restore that first names what it
 * overwrites (a database's backup can also go into a new database).
 */
export function BackupsPanel({
  serviceId,
  serviceName,
  canBackUp,
  isAdmin,
  volume = "",
}: {
  serviceId: string;
  serviceName: string;
  canBackUp: boolean;
  isAdmin: boolean;
  volume?: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const overview = useQuery({ ...trpc.backups.overview.queryOptions({ serviceId, volume }), refetchInterval: 5_000 });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.backups.overview.queryKey({ serviceId, volume }) });
  const shown = Boolean(volume || overview.data?.engine);
  const destination = useQuery({
    ...trpc.backups.destination.queryOptions({ projectId: overview.data?.projectId ?? "" }),
    enabled: shown && Boolean(overview.data),
  });
  const backupNow = useMutation(trpc.backups.backupNow.mutationOptions({ onSettled: refresh }));
  const [restoring, setRestoring] = useState<BackupRow | null>(null);

  if (overview.isPending) return <Loading label="Loading backups…" />;
  if (overview.isError) return <QueryError error={overview.error} onRetry={() => void overview.refetch()} what="backups" />;
  const o = overview.data;
  if (!shown) return null;
  return (
    <Panel title={volume ? `Backups of volume ${volume}` : "Backups"}>
      <div className="space-y-6 text-sm" data-testid={volume ? "volume-backups-panel" : "backups-panel"}>
        {volume && (
          <p className="text-fg-muted">
            A tar archive of the volume, taken while {serviceName} runs (for a database, prefer its own backups: a copy of live database
            files may not be consistent).
          </p>
        )}
        <section className="space-y-2">
          <h3 className="font-medium text-fg">Destination</h3>
          {o.destination ? (
            <p className="text-fg-muted" data-testid="backup-destination-summary">
              {o.destination.kind === "s3"
                ? `S3 bucket ${o.destination.bucket}${o.destination.prefix ? `/${o.destination.prefix}` : ""} at ${o.destination.endpoint}`
                : `Directory ${o.destination.directory}`}{" "}
              (shared by this project&apos;s backups)
            </p>
          ) : (
            <p className="text-fg-muted">No destination yet: set one to back up.</p>
          )}
          {isAdmin && destination.data && (
            <BackupDestinationForm
              projectId={o.projectId}
              saved={destination.data.destination}
              backupRoot={destination.data.backupRoot}
              onSaved={() => void refresh()}
            />
          )}
        </section>

        <ScheduleForm
          serviceId={serviceId}
          volume={volume}
          policy={o.policy}
          timeZone={o.timeZone}
          canEdit={isAdmin}
          onSaved={() => void refresh()}
        />

        <section className="space-y-2">
          <div className="flex items-center gap-3">
            <h3 className="flex-1 font-medium text-fg">Backups</h3>
            {canBackUp && (
              <Button
                onClick={() => backupNow.mutate({ serviceId, volume })}
                pending={backupNow.isPending}
                pendingLabel="Backing up…"
                disabled={!o.destination}
              >
                Back up now
              </Button>
            )}
          </div>
          {backupNow.error && <ErrorAlert message={errorMessage(backupNow.error)} />}
          {o.backups.length === 0 ? (
            <p className="text-fg-muted">No backups yet.</p>
          ) : (
            <Table
              caption="Backups"
              columns={[
                { label: "Status" },
                { label: "Started" },
                { label: "Size" },
                { label: "Duration" },
                { label: "SHA-256" },
                { label: "Actions", hidden: true },
              ]}
            >
              {o.backups.map((b) => (
                <Tr key={b.id} data-testid="backup-row" data-status={b.status}>
                  <Td>
                    <span className={b.status === "failed" ? "text-red-700" : b.status === "succeeded" ? "text-emerald-700" : ""}>
                      {b.status}
                    </span>
                    <span className="block text-xs text-fg-subtle">{b.trigger}</span>
                    {b.error && <span className="block text-xs text-red-700">{b.error}</span>}
                  </Td>
                  <Td>{formatTime(b.startedAt, o.timeZone)}</Td>
                  <Td>{b.status === "succeeded" ? formatBytes(b.sizeBytes) : "—"}</Td>
                  <Td>{(b.durationMs / 1000).toFixed(1)} s</Td>
                  <Td className="font-mono text-xs">{b.sha256 ? b.sha256.slice(0, 12) : "—"}</Td>
                  <Td>
                    {isAdmin && b.status === "succeeded" && (
                      <Button variant="secondary" onClick={() => setRestoring(b)}>
                        Restore
                      </Button>
                    )}
                  </Td>
                </Tr>
              ))}
            </Table>
          )}
        </section>
        {o.restores.length > 0 && <RecentRestores restores={o.restores} timeZone={o.timeZone} />}
        <RestoreDialog
          serviceId={serviceId}
          serviceName={serviceName}
          engine={o.engine}
          volume={volume}
          backup={restoring}
          timeZone={o.timeZone}
          onClose={() => setRestoring(null)}
          onRestored={() => void refresh()}
        />
      </div>
    </Panel>
  );
}

function ScheduleForm({
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

/** What a restore overwrites, and what a failure leaves, per engine (restore-backup.ts on the server). */
const RESTORE_EFFECT: Record<string, string> = {
  postgresql:
    "every table in the backup is dropped and recreated, and changes made since then are lost. It runs in one transaction: if it fails, nothing changes.",
  mariadb:
    "every table in the backup is dropped and recreated (tables not in the backup stay), and changes made since then are lost. The whole file is checked first, so a damaged backup changes nothing; if the restore fails midway, the message names the table it stopped in.",
  redis:
    "Redis restarts with the snapshot: every key is replaced by the backup's, and writes made since then are lost. The snapshot is checked first (redis-check-rdb): a damaged one changes nothing.",
};

interface RestoreRow {
  id: string;
  status: "running" | "succeeded" | "failed";
  step: string;
  serviceName: string;
  startedAt: Date | string;
  error: string | null;
}

function RecentRestores({ restores, timeZone }: { restores: RestoreRow[]; timeZone: string }) {
  return (
    <section className="space-y-2">
      <h3 className="font-medium text-fg">Recent restores</h3>
      <ul className="space-y-1" data-testid="recent-restores">
        {restores.map((r) => (
          <li key={r.id} data-status={r.status}>
            <span className={r.status === "failed" ? "text-red-700" : r.status === "succeeded" ? "text-emerald-700" : ""}>{r.status}</span>{" "}
            into {r.serviceName}, {formatTime(r.startedAt, timeZone)}
            {r.status === "running" && r.step ? `: ${r.step}` : ""}
            {r.error && <span className="block text-xs text-red-700">{r.error}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

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

function RestoreDialog({
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

/** Backups of each of the service's named volumes (any service). */
export function VolumeBackups({
  serviceId,
  serviceName,
  canBackUp,
  isAdmin,
}: {
  serviceId: string;
  serviceName: string;
  canBackUp: boolean;
  isAdmin: boolean;
}) {
  const trpc = useTRPC();
  const overview = useQuery(trpc.backups.overview.queryOptions({ serviceId, volume: "" }));
  return (
    <>
      {(overview.data?.volumes ?? []).map((v) => (
        <BackupsPanel
          key={v.name}
          serviceId={serviceId}
          serviceName={serviceName}
          canBackUp={canBackUp}
          isAdmin={isAdmin}
          volume={v.name}
        />
      ))}
    </>
  );
}
