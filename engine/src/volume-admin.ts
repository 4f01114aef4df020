/**
 * Listing and removing a project's named volumes for the control plane. Only volumes
 * labelled Berth's are listed or removed; a volume in use by any container is never
 * removed. Nothing else in the engine removes volumes.
 */
import type { EngineApi } from "./engine-api.ts";
import { EngineError } from "./errors.ts";
import { isManagedByBerth, LABEL_MANAGED_BY, LABEL_PROJECT, LABEL_TEAM, LABEL_VOLUME, MANAGED_BY_VALUE } from "./labels.ts";
import { buildVolumeName, displayName } from "./names.ts";
import type { ManagedVolume } from "./port-types.ts";
import { assertValidId } from "./validate.ts";
import { VOLUME_NAME } from "./validate-spec.ts";
import { inspectVolume } from "./volumes.ts";

export interface RawVolume {
  Name: string;
  Labels: Record<string, string> | null;
}

export interface RawVolumeUsage {
  Name: string;
  UsageData?: { Size?: number } | null;
}

export interface RawContainer {
  Names?: string[];
  Mounts?: Array<{ Type?: string; Name?: string }>;
}

/** Berth's volumes with their sizes (null when unknown: the engine says -1) and users. PURE. */
export function toManagedVolumes(volumes: RawVolume[], usage: RawVolumeUsage[], containers: RawContainer[]): ManagedVolume[] {
  const sizes = new Map(usage.map((u) => [u.Name, u.UsageData?.Size]));
  const users = new Map<string, string[]>();
  for (const c of containers) {
    for (const m of c.Mounts ?? []) {
      if (m.Type !== "volume" || m.Name === undefined) continue;
      users.set(m.Name, [...(users.get(m.Name) ?? []), displayName(c.Names?.[0])]);
    }
  }
  return volumes
    .filter((v) => isManagedByBerth(v.Labels) && v.Labels?.[LABEL_VOLUME] !== undefined && v.Labels[LABEL_PROJECT] !== undefined)
    .map((v) => {
      const size = sizes.get(v.Name);
      return {
        name: v.Labels?.[LABEL_VOLUME] ?? "",
        volumeName: v.Name,
        projectId: v.Labels?.[LABEL_PROJECT] ?? "",
        sizeBytes: typeof size === "number" && size >= 0 ? size : null,
        usedBy: (users.get(v.Name) ?? []).sort(),
      };
    })
    .sort((a, b) => a.projectId.localeCompare(b.projectId) || a.name.localeCompare(b.name));
}

export async function listVolumes(api: EngineApi, filter: { projectId?: string; teamId?: string }): Promise<ManagedVolume[]> {
  const label = [`${LABEL_MANAGED_BY}=${MANAGED_BY_VALUE}`, LABEL_VOLUME];
  if (filter.projectId !== undefined) label.push(`${LABEL_PROJECT}=${filter.projectId}`);
  if (filter.teamId !== undefined) label.push(`${LABEL_TEAM}=${filter.teamId}`);
  const listed = await api.call("list volumes", "berth", (abortSignal) => api.docker.listVolumes({ filters: { label }, abortSignal }));
  const volumes = (listed.Volumes ?? []) as RawVolume[];
  if (volumes.length === 0) return [];
  const [df, containers] = await Promise.all([
    api.call("disk usage", "volumes", (abortSignal) =>
      api.dial<{ Volumes?: RawVolumeUsage[] | null }>({
        path: "/system/df?",
        method: "GET",
        abortSignal,
        statusCodes: { 200: true, 500: "server error" },
      }),
    ),
    api.call("list containers", "volume users", (abortSignal) => api.docker.listContainers({ all: true, abortSignal })),
  ]);
  return toManagedVolumes(volumes, df.Volumes ?? [], containers as RawContainer[]);
}

export async function removeVolume(api: EngineApi, projectId: string, name: string): Promise<void> {
  const operation = "remove volume";
  assertValidId(projectId, "project id", operation);
  if (typeof name !== "string" || !VOLUME_NAME.test(name)) {
    throw new EngineError({
      code: "INVALID",
      operation,
      resource: String(name),
      message: `${operation}: invalid volume name ${JSON.stringify(name)}`,
    });
  }
  const volumeName = buildVolumeName(projectId, name);
  const fail = (code: "NOT_FOUND" | "CONFLICT", why: string): never => {
    throw new EngineError({ code, operation, resource: volumeName, message: `${operation} ${volumeName}: ${why}` });
  };
  const info = await inspectVolume(api, volumeName);
  if (info === null) fail("NOT_FOUND", "no such volume");
  const labels = info?.Labels ?? null;
  if (!isManagedByBerth(labels) || labels?.[LABEL_PROJECT] !== projectId || labels[LABEL_VOLUME] !== name) {
    fail("CONFLICT", `the volume is not Berth's volume ${name} of project ${projectId}; it was left untouched`);
  }
  const users = await api.call("list containers", volumeName, (abortSignal) =>
    api.docker.listContainers({ all: true, filters: { volume: [volumeName] }, abortSignal }),
  );
  if (users.length > 0)
    fail("CONFLICT", `still used by ${users.map((c) => displayName(c.Names[0])).join(", ")}; remove those containers first`);
  await api.call(operation, volumeName, (abortSignal) => api.docker.getVolume(volumeName).remove({ abortSignal }));
}
