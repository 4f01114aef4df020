/**
 * What a deploy would change: the service's settings now against its live release's snapshot,
 * as names a person reads ("Start command", "Volumes"). Values are never returned (variables
 * may be secrets).
 */
import type { Deployment, Service } from "@berth/db";
import type { Deps } from "../deps.ts";
import { currentReleaseConfig, openReleaseConfig, type ReleaseConfig } from "../deployments/release-config.ts";
import { canonicalJson } from "@berth/engine";

const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/** Names of what differs between two configurations. PURE. */
export function diffReleaseConfigs(live: ReleaseConfig, next: ReleaseConfig): string[] {
  const changes: string[] = [];
  const check = (label: string, a: unknown, b: unknown) => {
    if (!same(a, b)) changes.push(label);
  };
  check("Kind", live.kind, next.kind);
  check("Port", live.containerPort, next.containerPort);
  check("Start command", live.runtime.command, next.runtime.command);
  check("Entrypoint", live.runtime.entrypoint, next.runtime.entrypoint);
  check("Run as user", live.runtime.user, next.runtime.user);
  check("Working directory", live.runtime.workingDir, next.runtime.workingDir);
  check("Network aliases", live.runtime.aliases, next.runtime.aliases);
  check("Release command", live.runtime.releaseCommand, next.runtime.releaseCommand);
  check("Health check", [live.runtime.healthCheck, live.runtime.workerStableS], [next.runtime.healthCheck, next.runtime.workerStableS]);
  check("Limits", live.runtime.limits, next.runtime.limits);
  check("Ulimits", live.runtime.ulimits, next.runtime.ulimits);
  check("Restart policy", live.runtime.restartPolicy, next.runtime.restartPolicy);
  check("Published port", live.runtime.publish, next.runtime.publish);
  check("Replicas", live.replicas, next.replicas);
  check("Deploy strategy", live.strategy, next.strategy);
  check("Volumes", live.volumes, next.volumes);
  check("Variables", live.env, next.env);
  return changes;
}

export async function pendingChanges(
  deps: Pick<Deps, "db" | "env" | "box">,
  service: Service,
  live: Pick<Deployment, "id" | "image" | "config"> | null,
): Promise<string[]> {
  if (!live) return [];
  const box = deps.box;
  let liveConfig: ReleaseConfig | null;
  try {
    liveConfig = openReleaseConfig(live.config, box);
  } catch {
    return [];
  }
  if (!liveConfig) return [];
  const changes = diffReleaseConfigs(liveConfig, await currentReleaseConfig(deps.db, box, service));
  if (service.sourceType === "image" && service.image !== live.image) changes.unshift("Image");
  return changes;
}
