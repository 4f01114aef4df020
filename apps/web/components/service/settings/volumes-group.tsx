"use client";

import { newVolumeRow, type VolumeRow } from "@/lib/service-settings-form";
import { Button } from "../../ui/button";
import { CheckboxField } from "../../ui/checkbox-field";
import { TextField } from "../../ui/field";
import { SettingsGroup, type GroupProps } from "./settings-group";

type RowErrors = Partial<Record<"name" | "mountPath" | "hostPath" | "readOnly", string>>;

/**
 * Named volumes (kept across deploys, rollbacks and restarts), a host path only where the
 * instance allows bind mounts. Removing a saved row detaches the volume: the data stays.
 */
export function VolumesGroup({
  form,
  set,
  errors,
  rowErrors,
  allowBindMounts,
  detached,
}: GroupProps & { rowErrors: Map<number, RowErrors>; allowBindMounts: boolean; detached: string[] }) {
  const update = (id: number, patch: Partial<VolumeRow>) =>
    set({ volumes: form.volumes.map((v) => (v.id === id ? { ...v, ...patch } : v)) });
  const remove = (id: number) => set({ volumes: form.volumes.filter((v) => v.id !== id) });
  return (
    <SettingsGroup
      title="Volumes"
      description="Data written under a volume's mount path survives redeploys, rollbacks, restarts and stop/start."
    >
      {form.volumes.length === 0 && (
        <p className="text-sm text-fg-subtle">No volumes: everything the container writes is lost at the next deploy.</p>
      )}
      <ul className="space-y-3">
        {form.volumes.map((v, index) => {
          const e = rowErrors.get(v.id) ?? {};
          const n = index + 1;
          return (
            <li key={v.id} className="space-y-3 rounded-md border border-line p-3" data-testid="volume-row">
              <div className="grid gap-3 sm:grid-cols-2">
                <TextField
                  label={`Volume ${n} name`}
                  name={`volume-${n}-name`}
                  value={v.name}
                  onChange={(ev) => update(v.id, { name: ev.target.value })}
                  error={e.name}
                  placeholder="data"
                  autoComplete="off"
                  spellCheck={false}
                />
                <TextField
                  label={`Volume ${n} mount path`}
                  name={`volume-${n}-path`}
                  value={v.mountPath}
                  onChange={(ev) => update(v.id, { mountPath: ev.target.value })}
                  error={e.mountPath}
                  placeholder="/var/lib/postgresql/data"
                  autoComplete="off"
                  spellCheck={false}
                />
              </div>
              {allowBindMounts && (
                <TextField
                  label={`Volume ${n} host path (optional)`}
                  name={`volume-${n}-host`}
                  value={v.hostPath}
                  onChange={(ev) => update(v.id, { hostPath: ev.target.value })}
                  error={e.hostPath}
                  hint="A directory on this machine instead of a named volume. Berth never deletes it."
                  autoComplete="off"
                  spellCheck={false}
                />
              )}
              {!allowBindMounts && e.hostPath && <p className="text-sm text-danger-fg">{e.hostPath}</p>}
              <div className="flex flex-wrap items-center justify-between gap-3">
                <CheckboxField
                  label={
                    <>
                      <span className="sr-only">Volume {n} </span>Read-only
                    </>
                  }
                  checked={v.readOnly}
                  onChange={(ev) => update(v.id, { readOnly: ev.target.checked })}
                  error={e.readOnly}
                />
                <Button variant="ghost" onClick={() => remove(v.id)} aria-label={`Remove volume ${n}${v.name ? ` (${v.name})` : ""}`}>
                  Remove
                </Button>
              </div>
            </li>
          );
        })}
      </ul>
      {errors.volumes && <p className="text-sm text-danger-fg">{errors.volumes}</p>}
      {detached.length > 0 && (
        <p
          role="status"
          data-testid="volumes-detached"
          className="rounded-md border border-warning-line bg-warning-soft px-3 py-2 text-sm text-warning-fg"
        >
          Saving detaches {detached.join(", ")}: the data is kept (not mounted) and listed on the project page, where it can be deleted. Add
          a volume with the same name to mount it again.
        </p>
      )}
      <Button variant="secondary" onClick={() => set({ volumes: [...form.volumes, newVolumeRow()] })}>
        Add volume
      </Button>
    </SettingsGroup>
  );
}
