"use client";

import { isPublicBind } from "@/lib/service-settings-form";
import { CheckboxField } from "../../ui/checkbox-field";
import { TextField } from "../../ui/field";
import { SettingsGroup, type GroupProps } from "./settings-group";

/** A TCP service's port on the host (off by default; loopback unless the user says otherwise). */
export function PublishGroup({ form, set, errors }: GroupProps) {
  const publish = (p: Partial<typeof form.publish>) => set({ publish: { ...form.publish, ...p } });
  return (
    <SettingsGroup
      title="TCP"
      description="Other services of the project reach this one by name on its private network. Publishing also opens it on this host."
    >
      <CheckboxField
        label="Publish on a host port"
        name="publishEnabled"
        checked={form.publish.enabled}
        onChange={(e) => publish({ enabled: e.target.checked })}
        error={errors.publish}
      />
      {form.publish.enabled && (
        <>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              label="Host port"
              name="hostPort"
              type="number"
              min={1}
              max={65535}
              value={form.publish.hostPort}
              onChange={(e) => publish({ hostPort: e.target.value })}
              error={errors["publish.hostPort"]}
            />
            <TextField
              label="Bind address"
              name="bindAddress"
              value={form.publish.bindAddress}
              onChange={(e) => publish({ bindAddress: e.target.value })}
              error={errors["publish.bindAddress"]}
              placeholder="127.0.0.1"
              hint="127.0.0.1: this machine only. 0.0.0.0: every interface."
              autoComplete="off"
              spellCheck={false}
            />
          </div>
          {isPublicBind(form.publish.bindAddress) && (
            <p
              role="alert"
              data-testid="public-bind-warning"
              className="rounded-md border border-warning-line bg-warning-soft px-3 py-2 text-sm text-warning-fg"
            >
              {form.publish.bindAddress.trim()} listens on every network interface: anyone who can reach this machine can connect to the
              port. Keep 127.0.0.1 unless a firewall or the service&apos;s own authentication protects it.
            </p>
          )}
        </>
      )}
    </SettingsGroup>
  );
}
