"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { IntentLink } from "../ui/intent-link";
import { useRef, useState, type FormEvent } from "react";
import { errorMessage, fieldErrorsOf } from "@/lib/errors";
import { formatBytes } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { Dialog, type DialogHandle } from "../ui/dialog";
import { TextField } from "../ui/field";
import { Panel } from "../ui/page-header";
import { Loading, QueryError } from "../ui/query-state";
import { Table, Td, Tr, TwoLine } from "../ui/table";

interface VolumeRow {
  id: string;
  name: string;
  mountPath: string;
  hostPath: string | null;
  readOnly: boolean;
  sizeBytes: number | null;
  usedBy: string[];
  exists: boolean;
  service: { id: string; name: string } | null;
}

const COLUMNS = [{ label: "Volume" }, { label: "Size" }, { label: "Mounted by" }, { label: "Actions", hidden: true }] as const;

/** The project's volumes: size, which service mounts them, and Delete for detached ones (admins). */
export function VolumesPanel({ projectId, canDelete }: { projectId: string; canDelete: boolean }) {
  const trpc = useTRPC();
  const volumes = useQuery({ ...trpc.projects.volumes.queryOptions({ projectId }), refetchInterval: 15_000 });
  const [picked, setPicked] = useState<VolumeRow | null>(null);
  const dialog = useRef<DialogHandle>(null);
  let body;
  if (volumes.data === undefined) {
    body = volumes.isError ? (
      <QueryError error={volumes.error} onRetry={() => void volumes.refetch()} retrying={volumes.isFetching} what="volumes" />
    ) : (
      <Loading label="Loading volumes…" />
    );
  } else if (volumes.data.volumes.length === 0) {
    body = <p className="text-sm text-fg-subtle">No volumes. Add one in a service&apos;s Settings tab to keep data across deploys.</p>;
  } else {
    const rows = volumes.data.volumes as VolumeRow[];
    body = (
      <div className="space-y-3">
        {volumes.data.engineError && <p className="text-sm text-warning-fg">Sizes are unavailable: {volumes.data.engineError}</p>}
        <Table caption="Volumes of this project" columns={COLUMNS}>
          {rows.map((v) => (
            <Tr key={v.id} data-testid="volume-row" data-volume={v.name}>
              <Td>
                <TwoLine
                  primary={<span className="font-mono">{v.name}</span>}
                  secondary={
                    v.hostPath ? `host path ${v.hostPath}` : v.exists ? "named volume" : "not created yet (first deploy creates it)"
                  }
                />
              </Td>
              <Td>{v.hostPath ? "—" : v.exists ? formatBytes(v.sizeBytes) : "—"}</Td>
              <Td data-testid="volume-used-by">
                {v.service ? (
                  <TwoLine
                    primary={
                      <IntentLink
                        href={`/services/${v.service.id}`}
                        className="text-accent hover:underline focus-visible:outline-2 focus-visible:outline-focus"
                      >
                        {v.service.name}
                      </IntentLink>
                    }
                    secondary={`at ${v.mountPath}${v.readOnly ? " (read-only)" : ""}${v.usedBy.length > 0 ? ` · ${v.usedBy.length === 1 ? "1 container" : `${v.usedBy.length} containers`}` : ""}`}
                  />
                ) : (
                  <TwoLine
                    primary="Detached"
                    secondary={
                      v.usedBy.length > 0
                        ? `still mounted by ${v.usedBy.length} container(s) until the next deploy`
                        : "kept with its data, mounted by no service"
                    }
                  />
                )}
              </Td>
              <Td className="text-right">
                {canDelete && !v.service && (
                  <Button
                    variant="secondary"
                    aria-label={`Delete volume ${v.name}`}
                    onClick={() => {
                      setPicked(v);
                      dialog.current?.open();
                    }}
                  >
                    Delete
                  </Button>
                )}
              </Td>
            </Tr>
          ))}
        </Table>
      </div>
    );
  }
  return (
    <Panel title="Volumes">
      <div data-testid="volumes-panel">{body}</div>
      <Dialog ref={dialog} title={picked ? `Delete volume ${picked.name}?` : "Delete volume?"}>
        {picked && <DeleteVolumeForm key={picked.id} projectId={projectId} volume={picked} onDone={() => dialog.current?.close()} />}
      </Dialog>
    </Panel>
  );
}

function DeleteVolumeForm({ projectId, volume, onDone }: { projectId: string; volume: VolumeRow; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [typed, setTyped] = useState("");
  const remove = useMutation(
    trpc.projects.deleteVolume.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.projects.volumes.queryKey({ projectId }) });
        onDone();
      },
    }),
  );
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (typed === volume.name) remove.mutate({ projectId, volumeId: volume.id, confirmName: typed });
  };
  const confirmError = fieldErrorsOf(remove.error).confirmName;
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4 text-sm">
      <p className="text-fg-muted">
        {volume.hostPath
          ? `Berth forgets this volume; the host directory ${volume.hostPath} and its files stay on the machine.`
          : `Its data (${volume.exists ? formatBytes(volume.sizeBytes) : "nothing yet"}) is deleted for good. It cannot be undone.`}
      </p>
      <TextField
        label={`Type ${volume.name} to confirm`}
        name="confirmVolume"
        autoComplete="off"
        spellCheck={false}
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        error={confirmError}
      />
      {remove.error && !confirmError && <ErrorAlert message={errorMessage(remove.error)} />}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onDone} disabled={remove.isPending}>
          Cancel
        </Button>
        <Button type="submit" variant="danger" disabled={typed !== volume.name} pending={remove.isPending} pendingLabel="Deleting…">
          Delete volume
        </Button>
      </div>
    </form>
  );
}
