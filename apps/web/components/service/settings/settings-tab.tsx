"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import type { ServiceDetail } from "@/lib/api-types";
import { fieldErrorsOf, formLevelMessage } from "@/lib/errors";
import {
  detachedVolumeNames,
  formFromService,
  isDirty,
  isSettingsField,
  updateInputOf,
  volumeErrorsByRow,
  type SettingsForm,
} from "@/lib/service-settings-form";
import { useTRPC } from "@/lib/trpc";
import { StageTimeoutFields } from "../../project/stage-timeout-fields";
import { ErrorAlert } from "../../ui/alert";
import { Button } from "../../ui/button";
import { HealthGroup } from "./health-group";
import { ProcessGroup } from "./process-group";
import { PublishGroup } from "./publish-group";
import { ResourcesGroup } from "./resources-group";
import { SourceGroup } from "./source-group";
import { VolumesGroup } from "./volumes-group";

/**
 * The Settings tab: everything editable after creation. Saving changes no container; the
 * page lists what differs from the live release until the next deploy. The form is filled
 * once from the service and refilled only after a successful save, so polling never
 * overwrites an edit and an error loses nothing.
 */
export function SettingsTab({ service, canEdit, onDeployed }: { service: ServiceDetail; canEdit: boolean; onDeployed: () => void }) {
  const [generation, setGeneration] = useState(0);
  const [saved, setSaved] = useState<"saved" | "deploying" | null>(null);
  return (
    <SettingsFormView
      key={generation}
      service={service}
      canEdit={canEdit}
      saved={saved}
      onSaved={(deployed) => {
        setSaved(deployed ? "deploying" : "saved");
        setGeneration((g) => g + 1);
        if (deployed) onDeployed();
      }}
      onEdit={() => setSaved(null)}
    />
  );
}

interface FormViewProps {
  service: ServiceDetail;
  canEdit: boolean;
  saved: "saved" | "deploying" | null;
  onSaved: (deployed: boolean) => void;
  onEdit: () => void;
}

function SettingsFormView({ service, canEdit, saved, onSaved, onEdit }: FormViewProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [initial] = useState(() => formFromService(service));
  const [form, setForm] = useState<SettingsForm>(initial);
  const [sentVolumeIds, setSentVolumeIds] = useState<number[]>([]);
  const update = useMutation(
    trpc.services.update.mutationOptions({
      onSuccess: async (_data, variables) => {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.services.get.queryKey({ serviceId: service.id }) }),
          queryClient.invalidateQueries({ queryKey: trpc.deployments.list.queryKey({ serviceId: service.id }) }),
          queryClient.invalidateQueries({ queryKey: trpc.projects.get.queryKey({ projectId: service.projectId }) }),
        ]);
        onSaved(variables.deploy === true);
      },
    }),
  );
  // Found before sending (build args that are not valid .env text), shown like the server's.
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const errors = { ...fieldErrorsOf(update.error), ...localErrors };
  const formError = formLevelMessage(update.error, isSettingsField);
  const set = (patch: Partial<SettingsForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    onEdit();
  };
  const submit = (deploy: boolean) => {
    const built = updateInputOf(form, service.id, deploy);
    if (built.fieldErrors) {
      setLocalErrors(built.fieldErrors);
      return update.reset();
    }
    setLocalErrors({});
    setSentVolumeIds(built.volumeRowIds);
    update.mutate(built.input);
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit(false);
  };
  const group = { form, set, errors };
  const dirty = isDirty(form, initial);

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Service settings" className="space-y-6" data-testid="settings-form">
      {!canEdit && <p className="text-sm text-fg-muted">You are a viewer in this team: you can read these settings but not change them.</p>}
      <fieldset disabled={!canEdit || update.isPending} className="min-w-0 space-y-6">
        <SourceGroup {...group} hasToken={service.source.type === "git" && service.source.hasToken} />
        <ProcessGroup {...group} />
        <HealthGroup {...group} />
        <ResourcesGroup {...group} defaults={service.instanceDefaults.limits} />
        {form.kind === "tcp" && <PublishGroup {...group} />}
        <VolumesGroup
          {...group}
          rowErrors={volumeErrorsByRow(errors, sentVolumeIds)}
          allowBindMounts={service.instanceDefaults.allowBindMounts || form.volumes.some((v) => v.hostPath !== "")}
          detached={detachedVolumeNames(form, service.settings.volumes)}
        />
        <StageTimeoutFields value={form.timeouts} onChange={(timeouts) => set({ timeouts })} errors={errors} />
      </fieldset>
      {formError && <ErrorAlert message={formError} />}
      {canEdit && (
        <div className="sticky bottom-0 z-10 -mx-1 flex flex-wrap items-center gap-3 border-t border-line bg-canvas/95 px-1 py-3">
          <Button
            type="submit"
            variant="secondary"
            pending={update.isPending && update.variables.deploy === false}
            pendingLabel="Saving…"
            disabled={update.isPending}
          >
            Save
          </Button>
          <Button
            onClick={() => submit(true)}
            pending={update.isPending && update.variables.deploy === true}
            pendingLabel="Saving…"
            disabled={update.isPending}
          >
            Save and deploy
          </Button>
          <p role="status" className="text-sm text-fg-muted" data-testid="settings-state">
            {update.isPending
              ? ""
              : dirty
                ? "Unsaved changes."
                : saved === "saved"
                  ? "Saved. Deploy to apply the changes."
                  : saved === "deploying"
                    ? "Saved; a deployment is queued."
                    : ""}
          </p>
        </div>
      )}
    </form>
  );
}
