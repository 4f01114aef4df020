/**
 * Named volumes of a project: created labelled when absent, never removed or pruned by
 * Berth (data outlives releases). A same-named volume without Berth's label is refused.
 */
import type { EngineApi } from "./engine-api.ts";
import { EngineError, orNullIfMissing } from "./errors.ts";
import { buildResourceLabels, isManagedByBerth, LABEL_VOLUME } from "./labels.ts";
import { buildVolumeName } from "./names.ts";
import type { ReleaseSpec } from "./port-types.ts";

interface VolumeInfo {
  Name: string;
  Labels: Record<string, string> | null;
}

export async function inspectVolume(api: EngineApi, name: string): Promise<VolumeInfo | null> {
  return orNullIfMissing(
    api.call("inspect volume", name, (abortSignal) => api.docker.getVolume(name).inspect({ abortSignal }) as Promise<VolumeInfo>),
  );
}

/** Make sure every named volume of the spec exists, labelled as Berth's. */
export async function ensureVolumes(api: EngineApi, spec: ReleaseSpec): Promise<void> {
  for (const v of spec.volumes ?? []) {
    if (v.type !== "volume") continue;
    const name = buildVolumeName(spec.owner.projectId, v.name);
    const existing = await inspectVolume(api, name);
    if (existing !== null) {
      if (isManagedByBerth(existing.Labels)) continue;
      throw new EngineError({
        code: "CONFLICT",
        operation: "ensure volume",
        resource: name,
        message: `ensure volume ${name}: a volume with this name exists and is not managed by Berth; it was left untouched`,
      });
    }
    const labels = buildResourceLabels({ teamId: spec.owner.teamId, projectId: spec.owner.projectId }, { [LABEL_VOLUME]: v.name });
    // Creating an existing volume is a no-op in Docker, so a concurrent create is harmless.
    await api.call("create volume", name, (abortSignal) => api.docker.createVolume({ Name: name, Labels: labels, abortSignal }));
  }
}
