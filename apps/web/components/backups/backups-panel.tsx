"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { Panel } from "../ui/page-header";
import { Loading, QueryError } from "../ui/query-state";
import { Table, Td, Tr } from "../ui/table";
import { BackupDestinationForm } from "./backup-destination-form";
import { formatBytes, formatTime } from "./backup-format";
import { ScheduleForm } from "./backup-schedule-form";
import { RecentRestores } from "./recent-restores";
import { type BackupRow, RestoreDialog } from "./restore-dialog";

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
