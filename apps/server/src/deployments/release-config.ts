import type { Db, Service } from "@berth/db";
import { resolveDeployEnv } from "../secrets/env-store.ts";
import type { SealedBox } from "../secrets/sealed-box.ts";

/** What a release runs besides its image: captured at enqueue, copied into the Release. */
export interface ReleaseConfig {
  containerPort: number;
  env: Record<string, string>;
}

/** How a ReleaseConfig is stored (deployment.config, release.config): the environment sealed. */
export interface StoredReleaseConfig {
  containerPort: number;
  envSealed: string;
}

export function sealReleaseConfig(config: ReleaseConfig, box: SealedBox): StoredReleaseConfig {
  return { containerPort: config.containerPort, envSealed: box.seal(JSON.stringify(config.env)) };
}

function stringRecord(value: unknown): Record<string, string> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

/**
 * Read a stored snapshot (sealed, or a plaintext one written before sealing existed); null
 * when there is none. A sealed environment that does not open throws (fails closed).
 */
export function openReleaseConfig(json: unknown, box: SealedBox): ReleaseConfig | null {
  if (!json || typeof json !== "object" || Array.isArray(json)) return null;
  const value = json as { containerPort?: unknown; env?: unknown; envSealed?: unknown };
  if (typeof value.containerPort !== "number") return null;
  if (typeof value.envSealed === "string") return { containerPort: value.containerPort, env: stringRecord(JSON.parse(box.open(value.envSealed))) };
  return { containerPort: value.containerPort, env: stringRecord(value.env) };
}

/** The service's configuration now: its port and the run-time variables (shared + its own). */
export async function currentReleaseConfig(db: Db, box: SealedBox, service: Pick<Service, "id" | "projectId" | "containerPort">): Promise<ReleaseConfig> {
  const env = await resolveDeployEnv(db, box, { projectId: service.projectId, serviceId: service.id });
  return { containerPort: service.containerPort, env: env.runtime };
}
