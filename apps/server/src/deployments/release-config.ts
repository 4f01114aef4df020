import type { Service } from "@berth/db";
import { envFromJson, envToRecord } from "../services/service-input.ts";

/** What a release runs besides its image: captured at enqueue, copied into the Release. */
export interface ReleaseConfig {
  containerPort: number;
  env: Record<string, string>;
}

export function configOfService(service: Pick<Service, "containerPort" | "env">): ReleaseConfig {
  return { containerPort: service.containerPort, env: envToRecord(envFromJson(service.env)) };
}

/** Read a stored snapshot; older rows without one fall back to the service's current config. PURE. */
export function parseReleaseConfig(json: unknown, fallback: ReleaseConfig): ReleaseConfig {
  if (!json || typeof json !== "object" || Array.isArray(json)) return fallback;
  const value = json as { containerPort?: unknown; env?: unknown };
  if (typeof value.containerPort !== "number") return fallback;
  return { containerPort: value.containerPort, env: envToRecord(envFromJson(value.env)) };
}
