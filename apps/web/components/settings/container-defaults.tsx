"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { fieldErrorsOf, formLevelMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { CheckboxField } from "../ui/checkbox-field";
import { TextField } from "../ui/field";
import { Panel } from "../ui/page-header";

interface Values {
  defaultMemoryMb: number | null;
  defaultPidsLimit: number | null;
  defaultCpus: number | null;
  allowBindMounts: boolean;
  allowHostAccess: boolean;
}

const text = (n: number | null) => (n === null ? "" : String(n));
const orNull = (s: string) => (s.trim() === "" ? null : s.trim());

/** Limits for every container whose service sets none, whether services may mount host paths, and whether stacks may have host access. */
export function ContainerDefaults({ initial }: { initial: Values }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [memory, setMemory] = useState(text(initial.defaultMemoryMb));
  const [pids, setPids] = useState(text(initial.defaultPidsLimit));
  const [cpus, setCpus] = useState(text(initial.defaultCpus));
  const [bind, setBind] = useState(initial.allowBindMounts);
  const [hostAccess, setHostAccess] = useState(initial.allowHostAccess);
  const save = useMutation(
    trpc.instance.updateSettings.mutationOptions({
      onSuccess: (data) => {
        queryClient.setQueryData(trpc.instance.settings.queryKey(), data);
      },
    }),
  );
  const fields = fieldErrorsOf(save.error);
  const formError = formLevelMessage(save.error, (k) =>
    ["defaultMemoryMb", "defaultPidsLimit", "defaultCpus", "allowBindMounts", "allowHostAccess"].includes(k),
  );
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    // Empty means unlimited (null); the schema coerces and checks the numbers.
    save.mutate({
      defaultMemoryMb: orNull(memory),
      defaultPidsLimit: orNull(pids),
      defaultCpus: orNull(cpus),
      allowBindMounts: bind,
      allowHostAccess: hostAccess,
    });
  };
  return (
    <Panel title="Container defaults">
      <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Container defaults">
        <p className="text-sm text-fg-muted">
          These limits apply to every container whose service sets none, so nothing runs unbounded by accident. Empty: unlimited. Running
          containers get them at their next deploy.
        </p>
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField
            label="Memory (MiB)"
            name="defaultMemoryMb"
            type="number"
            min={6}
            value={memory}
            onChange={(e) => setMemory(e.target.value)}
            error={fields.defaultMemoryMb}
            placeholder="Unlimited"
          />
          <TextField
            label="PID limit"
            name="defaultPidsLimit"
            type="number"
            min={16}
            value={pids}
            onChange={(e) => setPids(e.target.value)}
            error={fields.defaultPidsLimit}
            placeholder="Unlimited"
          />
          <TextField
            label="CPUs"
            name="defaultCpus"
            type="number"
            min={0.01}
            step={0.01}
            value={cpus}
            onChange={(e) => setCpus(e.target.value)}
            error={fields.defaultCpus}
            placeholder="Unlimited"
          />
        </div>
        <CheckboxField
          label="Allow host-path mounts"
          name="allowBindMounts"
          checked={bind}
          onChange={(e) => setBind(e.target.checked)}
          error={fields.allowBindMounts}
          hint="Lets every team member mount a directory of this machine into a service (never the Docker socket, /, /etc, /proc, /sys or Berth's own data). A container can then read and change those files as root: allow it only if you trust everyone who can edit services."
        />
        {bind && !initial.allowBindMounts && (
          <p role="alert" className="rounded-md border border-warning-line bg-warning-soft px-3 py-2 text-sm text-warning-fg">
            Host-path mounts give containers access to this machine&apos;s files. Save only if every member of every team is trusted with
            that.
          </p>
        )}
        <CheckboxField
          label="Host access for compose stacks"
          name="allowHostAccess"
          checked={hostAccess}
          onChange={(e) => setHostAccess(e.target.checked)}
          error={fields.allowHostAccess}
          hint="Lets compose stacks use privileged, cap_add, devices, security_opt and network_mode / pid / ipc / uts: host. Such a container can take over this machine (and Berth); the Docker socket and use_api_socket stay refused. Turning it off stops new releases of services that use them."
        />
        {hostAccess && !initial.allowHostAccess && (
          <p role="alert" className="rounded-md border border-warning-line bg-warning-soft px-3 py-2 text-sm text-warning-fg">
            Host access gives the containers of any stack root on this machine. Save only if every member of every team is trusted with
            that.
          </p>
        )}
        {formError && <ErrorAlert message={formError} />}
        <div className="flex items-center gap-3">
          <Button type="submit" pending={save.isPending} pendingLabel="Saving…">
            Save
          </Button>
          {save.isSuccess && !save.isPending && (
            <p role="status" className="text-sm text-emerald-700">
              Saved.
            </p>
          )}
        </div>
      </form>
    </Panel>
  );
}
